"""On-disk cache of frozen backbone features for one dataset split.

Layout: ``<root>/<key>/features.npy`` (a ``(N, C, h, w)`` float16 or float32 ``.npy`` file,
opened memory-mapped) and ``meta.json`` (the parameters behind ``key``, the sample ids in row order and
the shape). A cache is written under ``<key>.partial`` and renamed when complete, so a reader
never sees half a cache.
"""
import json
import os
import shutil

import numpy as np
import torch

FEATURES_FILE = 'features.npy'
META_FILE = 'meta.json'


class FeatureCache:
    """One cached split, addressed by ``key`` (see :meth:`useg.features.FrozenBackbonePass.key`)."""

    def __init__(self, root, key):
        self.root = root
        self.key = key
        self.directory = os.path.join(root, key)
        self._features = None
        self._meta = None

    def exists(self):
        return os.path.isfile(os.path.join(self.directory, META_FILE))

    def write(self, batches, num_samples, params, dtype='float16'):
        """Fill the cache from ``batches``: an iterable of ``(feats (B, C, h, w), sample_ids)``.

        ``num_samples`` rows are expected in total, stored as ``dtype`` (``'float16'`` or
        ``'float32'``); ``params`` are stored in ``meta.json``.
        """
        partial = self.directory + '.partial'
        shutil.rmtree(partial, ignore_errors=True)
        os.makedirs(partial)
        try:
            self._write(partial, batches, num_samples, params, dtype)
        except BaseException:  # interrupted, full disk, bad input: no partial cache stays behind
            shutil.rmtree(partial, ignore_errors=True)
            raise
        shutil.rmtree(self.directory, ignore_errors=True)
        os.replace(partial, self.directory)

    def _write(self, partial, batches, num_samples, params, dtype):
        features, sample_ids = None, []
        for feats, ids in batches:
            feats = feats.detach().to('cpu', getattr(torch, dtype)).numpy()
            if features is None:
                features = np.lib.format.open_memmap(
                    os.path.join(partial, FEATURES_FILE), mode='w+', dtype=dtype,
                    shape=(num_samples, ) + feats.shape[1:])
            if len(sample_ids) + len(feats) > num_samples:
                raise ValueError(f'more than the announced {num_samples} samples')
            features[len(sample_ids):len(sample_ids) + len(feats)] = feats
            sample_ids.extend(str(sample_id) for sample_id in ids)
        if len(sample_ids) != num_samples:
            raise ValueError(f'got {len(sample_ids)} samples, expected {num_samples}')
        features.flush()
        meta = dict(key=self.key, params=params, shape=list(features.shape),
                    sample_ids=sample_ids)
        with open(os.path.join(partial, META_FILE), 'w') as file:
            json.dump(meta, file)
        del features

    @property
    def meta(self):
        if self._meta is None:
            if not self.exists():
                from useg.utils.commands import tool_command
                raise FileNotFoundError(f'no feature cache at {self.directory}; create it with '
                                        f'{tool_command("extract_features.py", "CONFIG")}')
            with open(os.path.join(self.directory, META_FILE)) as file:
                self._meta = json.load(file)
            self._index = {sample_id: row for row, sample_id in enumerate(self._meta['sample_ids'])}
        return self._meta

    def _require_meta(self):
        """Read ``meta.json`` (raises ``FileNotFoundError`` when the cache is absent)."""
        return self.meta

    @property
    def features(self):
        """Read-only memory map ``(N, C, h, w)``."""
        if self._features is None:
            self._require_meta()
            self._features = np.load(os.path.join(self.directory, FEATURES_FILE), mmap_mode='r')
        return self._features

    def __len__(self):
        return len(self.meta['sample_ids'])

    def __getitem__(self, sample_id):
        """Features ``(C, h, w)`` tensor (the stored dtype) of one sample, by its id (image path)."""
        self._require_meta()
        if sample_id not in self._index:
            raise KeyError(f'{sample_id!r} is not in the feature cache {self.directory}')
        return torch.from_numpy(np.array(self.features[self._index[sample_id]]))
