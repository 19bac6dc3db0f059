"""On-disk KNN tables, keyed by everything that changes them.

A table is ``{cache_dir}/knn_{key}.npz`` with ``indices (N, topk)`` int64, ``similarities (N, topk)``
float32 and ``params`` (the JSON of the key parameters). The key is the frozen-pass key
(:func:`useg.features.frozen_pass_params`: backbone config and weight-file digests, dataset and
extraction pipeline, ordered image-list digest with sizes and mtimes) plus ``topk``.
"""
import json
import os
import os.path as osp

import numpy as np

from useg.features.frozen_pass import with_pipeline
from useg.features.pass_key import frozen_pass_key, frozen_pass_params
from useg.utils import atomic_path, resolve_cache_dir

DEFAULT_TOPK = 30


def knn_cache_params(backbone, dataset, img_paths, topk, precision='fp32'):
    """The key parameters of a KNN table (see the module docstring); ``precision``: the backbone's
    autocast (in the key unless ``'fp32'``, as in :class:`useg.features.FrozenBackbonePass`)."""
    extra = dict(backbone_precision=precision) if precision != 'fp32' else {}
    return frozen_pass_params(backbone, dataset, img_paths, **extra, topk=int(topk))


def knn_cache_file(cache_dir, params):
    """Path of the table for ``params`` (from :func:`knn_cache_params`)."""
    return osp.join(cache_dir, f'knn_{frozen_pass_key(params)}.npz')


def save_knn_table(path, indices, similarities, params):
    """Write a table atomically (a partial file never has the final name)."""
    os.makedirs(osp.dirname(osp.abspath(path)), exist_ok=True)
    with atomic_path(path) as partial:
        np.savez(partial, indices=np.asarray(indices, dtype=np.int64),
                 similarities=np.asarray(similarities, dtype=np.float32),
                 params=np.array(json.dumps(params, sort_keys=True, default=str)))


def load_knn_table(path):
    """``(indices (N, topk) int64, similarities (N, topk) float32)`` of a saved table."""
    with np.load(path) as table:
        return table['indices'], table['similarities']


def extraction_dataset_cfg(knn, dataset):
    """The dataset config the features are extracted from: ``dataset`` with ``knn.pipeline`` if set."""
    return with_pipeline(dataset, knn.get('pipeline'))


def knn_table_file(knn, dataset, img_paths, work_dir=None, precision='fp32'):
    """``(path, params)`` of the table for a ``KNNPairDataset``'s ``knn`` settings, inner dataset
    config, image list and backbone ``precision``; a relative ``knn.cache_dir`` lives under the
    cache root (:func:`useg.utils.resolve_cache_dir`)."""
    if 'backbone' not in knn:
        raise KeyError(f"knn settings need 'backbone'; got keys {sorted(knn)}")
    params = knn_cache_params(knn['backbone'], extraction_dataset_cfg(knn, dataset), img_paths,
                              knn.get('topk', DEFAULT_TOPK), precision)
    cache_dir = resolve_cache_dir(knn.get('cache_dir'), work_dir, 'knn')
    return knn_cache_file(cache_dir, params), params
