"""One pass of a frozen backbone over a dataset: the loop every precompute tool shares.

KNN precompute, pseudo-label precompute and feature extraction all run :class:`FrozenBackbonePass`:
fixed batches in dataset order, each rank of a distributed launch takes every ``world``-th group of
batches, the global RNGs are seeded with ``seed + first index`` before each batch (so a batch's
result does not depend on what ran before it: resumed and split runs give the same output), and
features come from the float32 feature cache of ``tools/extract_features.py`` when one exists
for the same key instead of running the backbone again.
"""
import copy
import ctypes
import functools
import os
import random
import signal
import sys

import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from mmengine.dist import get_dist_info
from torch.utils.data import DataLoader

from useg.models.utils import backbone_autocast, resolved_backbone_precision
from useg.registry import DATASETS, MODELS
from useg.utils.cache import resolve_cache_dir
from .feature_cache import FeatureCache
from .pass_key import dataset_image_paths, frozen_pass_key, frozen_pass_params, plain

_PR_SET_PDEATHSIG = 1


def end_with_parent(worker_id=None, parent=None):
    """``worker_init_fn`` of data-loader workers: the worker is killed when its parent dies.

    Linux ``prctl(PR_SET_PDEATHSIG, SIGKILL)``; elsewhere torch's own watchdog (a few seconds) is
    all there is.
    """
    if not sys.platform.startswith('linux'):
        return
    ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if parent is not None and os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def worker_loader(dataset, batches, workers):
    """A ``DataLoader`` over explicit index batches whose workers end with this process."""
    return DataLoader(dataset, batch_sampler=batches, num_workers=workers,
                      collate_fn=pseudo_collate,
                      worker_init_fn=functools.partial(end_with_parent, parent=os.getpid()))


def seed_everything(seed):
    """Seed Python's, NumPy's and torch's global generators (CPU and CUDA)."""
    random.seed(seed)
    np.random.seed(seed % 2 ** 32)
    torch.manual_seed(seed)


def feature_map(output):
    """A backbone's output (a tensor, or a tuple/list whose last entry is the map) -> ``(B, C, h, w)``."""
    return output[-1] if isinstance(output, (tuple, list)) else output


def same_size_runs(indices, batch):
    """``[(indices, batch)]``: a collated ``batch`` (dict of per-sample lists) split into runs of
    consecutive samples whose ``inputs`` have one size; the whole batch when they all do."""
    shapes = [tuple(image.shape[-2:]) for image in batch['inputs']]
    if len(set(shapes)) <= 1:
        return [(list(indices), batch)]
    starts = [0] + [i for i in range(1, len(shapes)) if shapes[i] != shapes[i - 1]] + [len(shapes)]
    return [(list(indices[first:end]), {key: value[first:end] for key, value in batch.items()})
            for first, end in zip(starts, starts[1:])]


def with_pipeline(dataset, pipeline):
    """``dataset`` (a config) as plain data, with ``pipeline`` swapped in when given."""
    dataset = plain(copy.deepcopy(dataset))
    if pipeline is not None:
        dataset['pipeline'] = plain(pipeline)
    return dataset


def backbone_precision(cfg):
    """``model.backbone_precision`` of ``cfg`` (``'fp32'`` when unset): the autocast of every
    frozen pass over the config's data (part of the cache key unless ``'fp32'``)."""
    return (cfg.get('model') or {}).get('backbone_precision', 'fp32')


def feature_cache_dir(cfg):
    """The feature-cache directory of ``cfg`` (``feature_cache.cache_dir`` or ``<root>/features``)."""
    return resolve_cache_dir((cfg.get('feature_cache') or {}).get('cache_dir'), cfg.get('work_dir'),
                             'features')


class FrozenBackbonePass:
    """A frozen backbone over a dataset config, batch by batch.

    Args:
        dataset: dataset config (its pipeline must be deterministic; it is part of the key).
        backbone: backbone config, or None when no features are needed.
        data_preprocessor: the model's data-preprocessor config.
        batch_size / workers / device: loader and compute settings.
        seed: base of the per-batch seeds.
        feature_dir: where float32 feature caches of the same key are looked up (None: never).
        precision: the backbone's autocast, as ``UnsupervisedSegmentor(backbone_precision=...)``
            (``'auto'`` resolved on ``device``; features are float32 either way); in the key unless
            it resolves to fp32, so keys of configs that do not set it stay as they were.
    """

    def __init__(self, dataset, backbone=None, data_preprocessor=None, batch_size=8, workers=2,
                 device='cpu', seed=0, feature_dir=None, precision='fp32'):
        self.dataset_cfg = plain(dataset)
        self.dataset = DATASETS.build(copy.deepcopy(self.dataset_cfg))
        self.img_paths = dataset_image_paths(self.dataset)
        self.backbone_cfg = plain(backbone) if backbone is not None else None
        self.precision = precision
        resolved = resolved_backbone_precision(precision, device)  # rejects unknown values
        extra = dict(backbone_precision=resolved) \
            if self.backbone_cfg is not None and resolved != 'fp32' else {}
        self.params = frozen_pass_params(self.backbone_cfg, self.dataset_cfg, self.img_paths, **extra)
        self.preprocessor_cfg = data_preprocessor
        self.batch_size, self.workers, self.device, self.seed = batch_size, workers, device, seed
        self.feature_dir = feature_dir
        self._backbone = self._preprocessor = self._cached = None
        self.rank, self.world_size = get_dist_info()

    def __len__(self):
        return len(self.img_paths)

    def key(self, **params):
        """Cache key of this pass plus a consumer's ``params``."""
        return frozen_pass_key(dict(self.params, **plain(params)))

    def batch_ranges(self, start=0, stop=None):
        """Fixed ``(first, end)`` index ranges of ``batch_size`` over ``[start, stop)``."""
        stop = len(self) if stop is None else stop
        return [(first, min(first + self.batch_size, stop))
                for first in range(start, stop, self.batch_size)]

    def mine(self, groups):
        """This rank's share of ``groups`` (every ``world_size``-th, starting at the rank)."""
        return list(groups)[self.rank::self.world_size]

    def feature_cache(self, dtype='float32'):
        """The :class:`FeatureCache` of this pass stored as ``dtype``."""
        return FeatureCache(self.feature_dir, 'features-' + self.key(dtype=dtype))

    def _prepare(self):
        if self._preprocessor is not None or self.backbone_cfg is None:
            return
        self._preprocessor = MODELS.build(copy.deepcopy(self.preprocessor_cfg)).to(self.device)
        cache = self.feature_cache() if self.feature_dir is not None else None
        if cache is not None and cache.exists():
            self._cached = cache
            print(f'reusing cached features: {cache.directory}')
            return
        seed_everything(self.seed)  # random-weight backbones: the same weights every run
        self._backbone = MODELS.build(copy.deepcopy(self.backbone_cfg)).to(self.device)
        self._backbone.eval()  # (some backbones' train() returns None)

    @property
    def reuses_features(self):
        self._prepare()
        return self._cached is not None

    def _cached_features(self, indices):
        contiguous = indices == list(range(indices[0], indices[-1] + 1))
        rows = np.array(self._cached.features[indices[0]:indices[-1] + 1] if contiguous
                        else self._cached.features[np.asarray(indices)], dtype=np.float32)
        return torch.from_numpy(rows).to(self.device)

    def _forward(self, inputs):
        with backbone_autocast(self.precision, inputs.device):
            return feature_map(self._backbone(inputs)).float()

    @torch.no_grad()
    def run(self, ranges, need_inputs=True):
        """Yield ``(batch, feats (B, C, h, w) float32 or None, indices)`` for each range.

        A range is ``(first, end)`` or an explicit list of indices (e.g. a shuffled batch). A range
        whose images differ in size is yielded as its runs of equal size, in order (see
        :func:`same_size_runs`), so every batch stacks.
        ``need_inputs=False`` skips loading images when the features come from a cache.
        """
        self._prepare()
        batches = [list(item) if isinstance(item, list) else list(range(*item)) for item in ranges]
        if self._cached is not None and not need_inputs:
            for indices in batches:
                seed_everything(self.seed + indices[0])
                yield None, self._cached_features(indices), indices
            return
        for indices, loaded in zip(batches, worker_loader(self.dataset, batches, self.workers)):
            for group, batch in same_size_runs(indices, loaded):
                seed_everything(self.seed + group[0])
                feats = None
                if self._cached is not None:
                    feats = self._cached_features(group)
                elif self._backbone is not None:
                    inputs = self._preprocessor(batch, False)['inputs'].to(self.device)
                    feats = self._forward(inputs)
                yield batch, feats, group
