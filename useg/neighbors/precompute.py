"""Fill the KNN table of a config whose training set is a ``KNNPairDataset`` (``tools/precompute_knn.py``)."""
import os.path as osp
import time

import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from torch.utils.data import DataLoader
from tqdm import tqdm

from useg.utils import UsegError
from useg.registry import DATASETS, MODELS
from .knn import nearest_neighbors, pooled_descriptors
from .knn_cache import DEFAULT_TOPK, extraction_dataset_cfg, knn_table_file, save_knn_table


def knn_settings(cfg):
    """``(knn settings, inner dataset config)`` of ``cfg.train_dataloader.dataset``."""
    dataset = (cfg.get('train_dataloader') or {}).get('dataset') or {}
    if dataset.get('type') != 'KNNPairDataset' or dataset.get('knn') is None:
        raise UsegError('precompute_knn needs train_dataloader.dataset = dict(type="KNNPairDataset", '
                         f'dataset=..., knn=dict(cache_dir=..., backbone=...)); got type '
                         f'{dataset.get("type")!r}')
    return dataset.knn, dataset.dataset


@torch.no_grad()
def extract_descriptors(backbone, preprocessor, dataset, batch_size, workers, device):
    """Pooled, L2-normalised backbone features of every sample, in dataset order: ``(N, C)`` on CPU."""
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=False, num_workers=workers,
                        collate_fn=pseudo_collate)
    descriptors = []
    for batch in tqdm(loader, desc='KNN features', unit='batch'):
        feats = backbone(preprocessor(batch, False)['inputs'].to(device))
        descriptors.append(pooled_descriptors(feats.float()).cpu())
    return torch.cat(descriptors)


def precompute_knn(cfg, batch_size=64, workers=2, device='cpu', chunk_size=1024, force=False):
    """Compute and save the KNN table of ``cfg``'s training set; returns the table's path.

    An existing table with the same key is kept unless ``force``. The backbone runs in eval mode
    (no dropout anywhere), unlike the reference script.
    """
    init_default_scope(cfg.get('default_scope', 'useg'))
    knn, dataset_cfg = knn_settings(cfg)
    path, params = knn_table_file(knn, dataset_cfg)
    if osp.isfile(path) and not force:
        print(f'KNN table already cached: {path}')
        return path
    dataset = DATASETS.build(extraction_dataset_cfg(knn, dataset_cfg))
    backbone = MODELS.build(knn.backbone).to(device).eval()
    preprocessor = MODELS.build(cfg.model.data_preprocessor).to(device)
    start = time.time()
    descriptors = extract_descriptors(backbone, preprocessor, dataset, batch_size, workers, device)
    features_seconds = time.time() - start
    topk = min(knn.get('topk', DEFAULT_TOPK), len(descriptors))
    indices, similarities = nearest_neighbors(descriptors, topk, query_chunk_size=chunk_size,
                                              key_chunk_size=chunk_size * 4, device=device)
    save_knn_table(path, indices, similarities, params)
    print(f'KNN table {tuple(indices.shape)} -> {path} (features {features_seconds:.1f} s, '
          f'search {time.time() - start - features_seconds:.1f} s)')
    return path
