"""Run a config's frozen backbone over a dataset split and cache the features (``tools/extract_features.py``)."""
import copy
import time

import torch
from mmengine.registry import init_default_scope
from tqdm import tqdm

from useg.registry import PSEUDO_LABELERS
from useg.utils import UsegError, config_seed
from .frozen_pass import FrozenBackbonePass, feature_cache_dir, with_pipeline

_LABEL_LOADERS = ('LoadAnnotations', 'LoadPseudoLabel')
AMP_PRECISIONS = {torch.bfloat16: 'bf16', torch.float16: 'fp16'}


def feature_pass_settings(cfg):
    """``(dataset config with its pipeline, backbone config)`` whose features ``cfg`` caches.

    ``cfg.feature_cache = dict(split='train', pipeline=None, dataset=None)`` when given; otherwise
    the pass a precompute tool of ``cfg`` makes, so that the tool reuses the cache: the pseudo-label
    pass (``pseudo_labels.pipeline`` with the model's backbone) when the labeler reads features,
    else the KNN pass (``knn.pipeline`` with ``knn.backbone``), else the training split with the
    test pipeline (label loading removed).
    """
    settings = cfg.get('feature_cache') or {}
    split = settings.get('split', 'train')
    dataset = copy.deepcopy(settings.get('dataset') or (cfg.get(f'{split}_dataloader') or {}).get('dataset'))
    if dataset is None:
        raise UsegError(f'the config has no {split}_dataloader.dataset; set feature_cache.split')
    backbone = cfg.model.backbone
    if dataset.get('type') == 'KNNPairDataset':
        knn, dataset = dataset.knn, dataset.dataset
        if settings.get('pipeline') is None:
            return with_pipeline(dataset, knn.get('pipeline')), knn.get('backbone', backbone)
    if settings.get('pipeline') is not None:
        return with_pipeline(dataset, settings.pipeline), backbone
    pseudo = cfg.get('pseudo_labels')
    if split == 'train' and pseudo and PSEUDO_LABELERS.get(pseudo.labeler['type']).requires_features:
        return with_pipeline(pseudo.get('dataset') or dataset, pseudo.pipeline), backbone
    test_dataloader = cfg.get('test_dataloader') or cfg.get('val_dataloader')
    if not test_dataloader:
        raise UsegError('the config has no test/val pipeline to extract with; set '
                        'feature_cache.pipeline')
    pipeline = [step for step in test_dataloader.dataset.pipeline
                if step.get('type') not in _LABEL_LOADERS]
    return with_pipeline(dataset, pipeline), backbone


def extract_features(cfg, batch_size=None, workers=2, device='cpu', dtype='float32', amp=None,
                     backbone_precision=None):
    """Fill the feature cache of ``cfg`` (see :func:`feature_pass_settings`); returns the cache.

    Rows follow the dataset order; sample ids are the image paths. ``dtype``: stored precision
    (only ``float32`` caches are reused by the precompute tools, which must give the results a
    fresh pass gives). ``backbone_precision`` (default ``model.backbone_precision``, else
    ``'fp32'``): the autocast of the backbone pass, part of the cache key unless it runs in fp32.
    ``amp`` (``torch.bfloat16`` / ``torch.float16``): the same as ``backbone_precision='bf16'`` /
    ``'fp16'``.
    """
    init_default_scope(cfg.get('default_scope', 'useg'))
    dataset, backbone = feature_pass_settings(cfg)
    if amp is not None:
        backbone_precision = AMP_PRECISIONS[amp]
    features = FrozenBackbonePass(
        dataset, backbone, cfg.model.data_preprocessor, workers=workers, device=device,
        seed=config_seed(cfg),
        batch_size=batch_size or (cfg.get('feature_cache') or {}).get('batch_size', 8),
        precision=backbone_precision or cfg.model.get('backbone_precision', 'fp32'))
    features.feature_dir = feature_cache_dir(cfg)
    cache = features.feature_cache(dtype)
    if cache.exists():
        print(f'features already cached: {cache.directory}')
        return cache
    features.feature_dir = None  # never read the cache being written

    def batches():
        progress = tqdm(total=len(features), desc='features', unit='img')
        for batch, feats, _ in features.run(features.batch_ranges()):
            progress.update(len(feats))
            yield feats, [sample.img_path for sample in batch['data_samples']]
        progress.close()

    start = time.time()
    cache.write(batches(), len(features), dict(features.params, dtype=dtype), dtype=dtype)
    print(f'cached {len(cache)} x {tuple(cache.features.shape[1:])} {dtype} features in '
          f'{time.time() - start:.1f}s -> {cache.directory}')
    return cache
