"""Run a config's frozen backbone over a dataset split and cache the features."""
import copy
import time

import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from torch.utils.data import DataLoader
from tqdm import tqdm

from useg.registry import DATASETS, MODELS
from .cache_params import feature_cache_key, feature_cache_params
from .feature_cache import FeatureCache


def extract_features(cfg, batch_size=None, workers=2, device='cpu', dtype=None):
    """Fill the feature cache described by ``cfg.feature_cache``; returns the cache.

    ``cfg.feature_cache = dict(cache_dir=..., resolution=(H, W), split='train',
    pipeline=[...] (deterministic; default: the split's own), batch_size=8)``. Rows follow the
    dataset order; sample ids are the image paths. ``dtype`` (``torch.bfloat16`` /
    ``torch.float16``) runs the backbone under autocast on CUDA.
    """
    init_default_scope(cfg.get('default_scope', 'useg'))
    settings = cfg.feature_cache
    split = settings.get('split', 'train')
    dataset_cfg = copy.deepcopy(cfg[f'{split}_dataloader'].dataset)
    if settings.get('pipeline') is not None:
        dataset_cfg['pipeline'] = settings.pipeline
    backbone = MODELS.build(cfg.model.backbone).to(device).eval()
    resolution = tuple(settings.resolution)
    params = feature_cache_params(backbone, resolution, dataset_cfg.to_dict()
                                  if hasattr(dataset_cfg, 'to_dict') else dataset_cfg)
    cache = FeatureCache(settings.cache_dir, feature_cache_key(params))
    if cache.exists():
        print(f'features already cached: {cache.directory}')
        return cache
    dataset = DATASETS.build(dataset_cfg)
    preprocessor = MODELS.build(cfg.model.data_preprocessor).to(device)
    loader = DataLoader(dataset, batch_size=batch_size or settings.get('batch_size', 8),
                        num_workers=workers, collate_fn=pseudo_collate)

    def batches():
        for batch in tqdm(loader, desc='features', unit='batch'):
            inputs = preprocessor(batch, False)['inputs']
            if tuple(inputs.shape[-2:]) != resolution:
                raise ValueError(f'the pipeline gives {tuple(inputs.shape[-2:])} inputs, '
                                 f'feature_cache.resolution says {resolution}')
            with torch.autocast(torch.device(device).type, dtype=dtype, enabled=dtype is not None):
                feats = backbone(inputs)
            yield feats, [sample.img_path for sample in batch['data_samples']]

    start = time.time()
    cache.write(batches(), len(dataset), params)
    print(f'cached {len(cache)} x {tuple(cache.features.shape[1:])} float16 features in '
          f'{time.time() - start:.1f}s -> {cache.directory}')
    return cache
