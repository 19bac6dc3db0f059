"""Feature cache: float16 memory-mapped round trip, keys, atomic writes."""
import numpy as np
import pytest
import torch

import useg  # noqa: F401
from useg.features import FeatureCache, feature_cache_key, feature_cache_params, weights_digest
from useg.models.backbones import DINOViT
from useg.utils.cache import file_digest

DATASET = dict(type='ImageFolderDataset', data_root='data/x', pipeline=[dict(type='Resize')])


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


def test_key_changes_with_weights_resolution_dataset_and_block(tmp_path):
    backbone = DINOViT('vit_tiny_p8')
    params = feature_cache_params(backbone, (224, 224), DATASET)
    key = feature_cache_key(params)
    assert key.startswith('vit_tiny_p8-')
    assert key == feature_cache_key(feature_cache_params(backbone, (224, 224), dict(DATASET)))
    other_weights = DINOViT('vit_tiny_p8')
    variants = [feature_cache_params(other_weights, (224, 224), DATASET),
                feature_cache_params(backbone, (320, 320), DATASET),
                feature_cache_params(backbone, (224, 224), dict(DATASET, data_root='data/y')),
                feature_cache_params(DINOViT('vit_tiny_p8', out_block=0), (224, 224), DATASET)]
    assert len({key} | {feature_cache_key(variant) for variant in variants}) == 5


def test_weights_digest_uses_the_weight_file_when_there_is_one(tmp_path):
    backbone = DINOViT('vit_tiny_p8')
    torch.save(dict(backbone.encoder.state_dict()), tmp_path / 'w.pth')
    loaded = DINOViT('vit_tiny_p8',
                     init_cfg=dict(type='Pretrained', checkpoint=str(tmp_path / 'w.pth')))
    assert weights_digest(loaded) == file_digest(str(tmp_path / 'w.pth'))
    assert weights_digest(backbone) == weights_digest(backbone)
    assert weights_digest(backbone) != weights_digest(loaded)
