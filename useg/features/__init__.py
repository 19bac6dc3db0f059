"""Frozen-backbone passes over datasets: the shared loop, its cache key, the feature cache, and
the validation-time feature memo."""
from .extract import extract_features, feature_pass_settings
from .feature_cache import FeatureCache
from .feature_memo import FeatureMemo, FrozenFeatureMemoHook
from .frozen_pass import (FrozenBackbonePass, backbone_precision, end_with_parent, feature_cache_dir,
                          seed_everything, with_pipeline, worker_loader)
from .pass_key import (config_file_digests, dataset_image_paths, frozen_pass_key,
                       frozen_pass_params, plain)

__all__ = ['FeatureCache', 'FeatureMemo', 'FrozenFeatureMemoHook', 'FrozenBackbonePass', 'backbone_precision', 'config_file_digests', 'dataset_image_paths',
           'end_with_parent', 'extract_features', 'feature_cache_dir', 'feature_pass_settings',
           'frozen_pass_key', 'frozen_pass_params', 'plain', 'seed_everything', 'with_pipeline',
           'worker_loader']
