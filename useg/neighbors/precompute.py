"""Fill the KNN table of a config whose training set is a ``KNNPairDataset`` (the ``knn``
precompute step), and check it at the start of training.

The descriptors are computed chunk by chunk (``chunk_images`` images each) into
``knn_<key>.partial/``; an interrupted run resumes at the first missing chunk. Under a distributed
launch every rank computes every ``world_size``-th chunk, rank 0 merges them, searches and writes the
table, the other ranks wait for it.
"""
import os
import os.path as osp
import shutil
import time

import numpy as np
import torch
from mmengine.dist import barrier, is_distributed
from mmengine.registry import init_default_scope
from tqdm import tqdm

from useg.features.frozen_pass import FrozenBackbonePass, backbone_precision, feature_cache_dir
from useg.utils import UsegError, atomic_path, config_seed
from .knn import nearest_neighbors, pooled_descriptors
from .knn_cache import (DEFAULT_TOPK, extraction_dataset_cfg, knn_table_file, load_knn_table,
                        save_knn_table)

CHUNK_IMAGES = 1024


def knn_settings(cfg):
    """``(knn settings, inner dataset config)`` of ``cfg.train_dataloader.dataset``."""
    dataset = (cfg.get('train_dataloader') or {}).get('dataset') or {}
    if dataset.get('type') != 'KNNPairDataset' or dataset.get('knn') is None:
        raise UsegError('precompute_knn needs train_dataloader.dataset = dict(type="KNNPairDataset", '
                        f'dataset=..., knn=dict(cache_dir=..., backbone=...)); got type '
                        f'{dataset.get("type")!r}')
    return dataset.knn, dataset.dataset


def knn_pass(cfg, batch_size=64, workers=2, device='cpu'):
    """The :class:`FrozenBackbonePass` whose pooled features a config's KNN table is built from."""
    knn, dataset_cfg = knn_settings(cfg)
    return FrozenBackbonePass(extraction_dataset_cfg(knn, dataset_cfg), knn.backbone,
                              cfg.model.data_preprocessor, batch_size=batch_size, workers=workers,
                              device=device, seed=config_seed(cfg), feature_dir=feature_cache_dir(cfg),
                              precision=backbone_precision(cfg))


def _table_of(cfg, img_paths):
    knn, dataset_cfg = knn_settings(cfg)
    return knn_table_file(knn, dataset_cfg, img_paths, cfg.get('work_dir'), backbone_precision(cfg))


def precompute_command(config_path, cfg, force=False):
    """The exact command that builds ``cfg``'s KNN table."""
    from useg.precompute import precompute_command as command
    return command(config_path, cfg.get('work_dir'), ['knn'] if force else None, force)


def resolve_knn_cache(cfg, config_path=None):
    """At the start of training: point the ``KNNPairDataset`` of ``cfg`` at its table, or stop with
    the exact command that builds it (``--force`` when a table for this key exists but is unusable).

    Returns the table path (None when the config trains without KNN pairs).
    """
    dataset = (cfg.get('train_dataloader') or {}).get('dataset') or {}
    if dataset.get('type') != 'KNNPairDataset' or dataset.get('knn') is None \
            or dataset.get('knn_file') is not None:
        return None
    from useg.features.pass_key import dataset_image_paths
    from useg.registry import DATASETS
    init_default_scope(cfg.get('default_scope', 'useg'))
    path, _ = _table_of(cfg, dataset_image_paths(DATASETS.build(dataset.dataset)))
    if not osp.isfile(path):
        raise UsegError(f'no KNN table for this training set (its images, backbone or settings '
                        f'changed, or it was never computed; expected {path}); run first: '
                        f'{precompute_command(config_path, cfg)}')
    try:
        load_knn_table(path)
    except Exception as error:  # noqa: BLE001 - any unreadable table gets the same advice
        raise UsegError(f'KNN table {path} is unreadable ({type(error).__name__}); rebuild it: '
                        f'{precompute_command(config_path, cfg, force=True)}') from None
    dataset.knn_file = path
    return path


def _chunk_file(directory, first, end):
    return osp.join(directory, f'descriptors_{first:09d}_{end:09d}.npy')


def _compute_chunks(features, chunks, directory):
    """Pooled descriptors of this rank's missing ``chunks``, one ``.npy`` per chunk (atomic)."""
    todo = [chunk for chunk in features.mine(chunks)
            if not osp.isfile(_chunk_file(directory, *chunk))]
    progress = tqdm(total=sum(end - first for first, end in todo), desc='KNN features', unit='img')
    for first, end in todo:
        descriptors = []
        for _, feats, indices in features.run(features.batch_ranges(first, end), need_inputs=False):
            descriptors.append(pooled_descriptors(feats).cpu())
            progress.update(len(indices))
        with atomic_path(_chunk_file(directory, first, end)) as partial:
            np.save(partial, torch.cat(descriptors).numpy())
    progress.close()
    return len(todo)


def precompute_knn(cfg, batch_size=64, workers=2, device='cpu', chunk_size=1024, force=False,
                   chunk_images=CHUNK_IMAGES, precision='auto'):
    """Compute and save the KNN table of ``cfg``'s training set; returns the table's path.

    An existing table with the same key is kept unless ``force``. The backbone runs in eval mode
    (no dropout anywhere), unlike the reference script. ``chunk_size``: query rows per search
    block; ``chunk_images``: images per resumable descriptor chunk; ``precision``: of the search
    (see :func:`useg.neighbors.nearest_neighbors`).
    """
    init_default_scope(cfg.get('default_scope', 'useg'))
    knn, _ = knn_settings(cfg)
    features = knn_pass(cfg, batch_size, workers, device)
    path, params = _table_of(cfg, features.img_paths)
    partial_dir = path[:-len('.npz')] + '.partial'
    if force and features.rank == 0:
        shutil.rmtree(partial_dir, ignore_errors=True)
        if osp.isfile(path):
            os.remove(path)
    barrier()
    if osp.isfile(path):
        print(f'KNN table already cached: {path}')
        return path
    os.makedirs(partial_dir, exist_ok=True)
    chunks = [(first, min(first + chunk_images, len(features)))
              for first in range(0, len(features), chunk_images)]
    start = time.time()
    computed = _compute_chunks(features, chunks, partial_dir)
    features_seconds = time.time() - start
    barrier()
    if features.rank == 0:
        missing = [chunk for chunk in chunks if not osp.isfile(_chunk_file(partial_dir, *chunk))]
        if missing:
            raise UsegError(f'{len(missing)} descriptor chunks of {partial_dir} are missing (another '
                            'rank has not written them yet): run the same command again')
        descriptors = torch.cat([torch.from_numpy(np.load(_chunk_file(partial_dir, *chunk)))
                                 for chunk in chunks])
        topk = min(knn.get('topk', DEFAULT_TOPK), len(descriptors))
        indices, similarities = nearest_neighbors(descriptors, topk, query_chunk_size=chunk_size,
                                                  key_chunk_size=chunk_size * 4, device=device,
                                                  precision=precision)
        save_knn_table(path, indices, similarities, params)
        shutil.rmtree(partial_dir, ignore_errors=True)
        print(f'KNN table {tuple(indices.shape)} -> {path} ({computed} of {len(chunks)} chunks '
              f'computed{", features from the feature cache" if features.reuses_features else ""}: '
              f'{features_seconds:.1f} s, search {time.time() - start - features_seconds:.1f} s)')
    if is_distributed():
        barrier()
    return path
