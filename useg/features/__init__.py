"""Cached frozen-backbone features (written by tools/extract_features.py)."""
from .cache_params import feature_cache_key, feature_cache_params, weights_digest
from .extract import extract_features
from .feature_cache import FeatureCache

__all__ = ['FeatureCache', 'extract_features', 'feature_cache_key', 'feature_cache_params',
           'weights_digest']
