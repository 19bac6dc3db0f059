"""On-disk KNN tables, keyed by everything that changes them.

A table is ``{cache_dir}/knn_{key}.npz`` with ``indices (N, topk)`` int64, ``similarities (N, topk)``
float32 and ``params`` (the JSON of the key parameters, for humans). The key hashes the backbone
config (with a digest of every weight file it names), the dataset config (pipeline included: it
sets the resolution and crop) and ``topk``; see :func:`knn_cache_params`.
"""
import json
import os
import os.path as osp

import numpy as np

from useg.utils import cache_key, file_digest

DEFAULT_TOPK = 30

# dataset-config keys that do not change which images are read nor how
_IGNORED_DATASET_KEYS = ('serialize_data', 'lazy_init', 'max_refetch', 'test_mode')


def _file_digests(cfg):
    """``{path: digest}`` of every string value in a nested config that names an existing file."""
    found = {}
    if isinstance(cfg, dict):
        for value in cfg.values():
            found.update(_file_digests(value))
    elif isinstance(cfg, (list, tuple)):
        for value in cfg:
            found.update(_file_digests(value))
    elif isinstance(cfg, str) and osp.isfile(cfg):
        found[cfg] = file_digest(cfg)
    return found


def _plain(cfg):
    """A config (mmengine ``ConfigDict`` or nested dicts/lists) as plain JSON-able data."""
    if isinstance(cfg, dict):
        return {str(key): _plain(value) for key, value in cfg.items()}
    if isinstance(cfg, (list, tuple)):
        return [_plain(value) for value in cfg]
    return cfg


def knn_cache_params(backbone, dataset, topk):
    """The key parameters of a KNN table: backbone (+ weight digests), dataset (+ pipeline), topk."""
    dataset = {key: value for key, value in _plain(dataset).items()
               if key not in _IGNORED_DATASET_KEYS}
    return dict(backbone=_plain(backbone), weights=_file_digests(_plain(backbone)),
                dataset=dataset, topk=int(topk))


def knn_cache_file(cache_dir, params):
    """Path of the table for ``params`` (from :func:`knn_cache_params`)."""
    return osp.join(cache_dir, f'knn_{cache_key(params)}.npz')


def save_knn_table(path, indices, similarities, params):
    """Write a table atomically (a partial file never has the final name)."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    partial = f'{path}.partial.npz'
    np.savez(partial, indices=np.asarray(indices, dtype=np.int64),
             similarities=np.asarray(similarities, dtype=np.float32),
             params=np.array(json.dumps(params, sort_keys=True, default=str)))
    os.replace(partial, path)


def load_knn_table(path):
    """``(indices (N, topk) int64, similarities (N, topk) float32)`` of a saved table."""
    with np.load(path) as table:
        return table['indices'], table['similarities']


def extraction_dataset_cfg(knn, dataset):
    """The dataset config the features are extracted from: ``dataset`` with ``knn.pipeline`` if set."""
    dataset = _plain(dataset)
    if knn.get('pipeline') is not None:
        dataset['pipeline'] = _plain(knn['pipeline'])
    return dataset


def knn_table_file(knn, dataset):
    """``(path, params)`` of the table for a ``KNNPairDataset``'s ``knn`` settings and inner dataset."""
    for required in ('cache_dir', 'backbone'):
        if required not in knn:
            raise KeyError(f'knn settings need {required!r}; got keys {sorted(knn)}')
    params = knn_cache_params(knn['backbone'], extraction_dataset_cfg(knn, dataset),
                              knn.get('topk', DEFAULT_TOPK))
    return knn_cache_file(knn['cache_dir'], params), params
