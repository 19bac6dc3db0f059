"""Feature cache: memory-mapped round trip, atomic writes."""
import numpy as np
import pytest
import torch

import useg  # noqa: F401
from useg.features import FeatureCache


def batches_of(feats, ids, batch_size):
    for start in range(0, len(feats), batch_size):
        yield feats[start:start + batch_size], ids[start:start + batch_size]


def test_round_trip_is_float16_memory_mapped_and_addressed_by_id(tmp_path):
    feats = torch.randn(5, 4, 3, 2)
    ids = [f'img_{index}.jpg' for index in range(5)]
    cache = FeatureCache(str(tmp_path), 'key1')
    assert not cache.exists()
    cache.write(batches_of(feats, ids, 2), num_samples=5, params=dict(arch='a'))
    reread = FeatureCache(str(tmp_path), 'key1')
    assert reread.exists() and len(reread) == 5
    assert isinstance(reread.features, np.memmap) and reread.features.dtype == np.float16
    assert not reread.features.flags.writeable
    assert reread.meta['params'] == dict(arch='a') and reread.meta['shape'] == [5, 4, 3, 2]
    torch.testing.assert_close(reread['img_3.jpg'], feats[3].half())
    assert not (tmp_path / 'key1.partial').exists()
    with pytest.raises(KeyError, match="'other.jpg' is not in the feature cache"):
        reread['other.jpg']


def test_wrong_sample_count_leaves_no_cache(tmp_path):
    cache = FeatureCache(str(tmp_path), 'key2')
    with pytest.raises(ValueError, match='got 3 samples, expected 4'):
        cache.write(batches_of(torch.randn(3, 2, 1, 1), ['a', 'b', 'c'], 2), 4, {})
    assert not cache.exists()
    with pytest.raises(FileNotFoundError, match='tools/extract_features.py'):
        len(cache)


def test_float32_caches_keep_the_exact_values(tmp_path):
    feats = torch.randn(3, 2, 2, 2)
    cache = FeatureCache(str(tmp_path), 'key3')
    cache.write(batches_of(feats, ['a', 'b', 'c'], 2), 3, {}, dtype='float32')
    assert FeatureCache(str(tmp_path), 'key3').features.dtype == np.float32
    assert torch.equal(FeatureCache(str(tmp_path), 'key3')['b'], feats[1])


def test_an_interrupted_write_leaves_no_partial_cache(tmp_path):
    import os

    def batches():
        yield torch.zeros(2, 3, 2, 2), ['a', 'b']
        raise OSError(28, 'No space left on device')  # the disk fills up mid-write

    cache = FeatureCache(str(tmp_path), 'k' * 16)
    with pytest.raises(OSError):
        cache.write(batches(), 4, {})
    assert not cache.exists() and os.listdir(tmp_path) == []
