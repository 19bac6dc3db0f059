"""extract_features on the generated synthetic dataset with the random tiny ViT."""
import os

import pytest
import torch

import useg  # noqa: F401
from useg.apis import load_config
from useg.datasets import make_synthetic_dataset
from useg.features import FeatureCache, extract_features

CONFIG = os.path.join(os.path.dirname(__file__), '..', '..', 'configs', 'baseline',
                      'tiny_synthetic.py')


def test_extract_features_caches_every_training_image(tmp_path):
    make_synthetic_dataset(str(tmp_path / 'data'))
    cfg = load_config(CONFIG, {'train_dataloader.dataset.data_root': str(tmp_path / 'data')},
                      work_dir=str(tmp_path / 'work'))
    cfg.feature_cache = dict(cache_dir=str(tmp_path / 'cache'), resolution=(64, 64), batch_size=5)
    torch.manual_seed(0)  # the tiny ViT has random weights; the key hashes their values
    cache = extract_features(cfg, workers=0)
    assert cache.features.shape == (16, 48, 8, 8)
    reread = FeatureCache(str(tmp_path / 'cache'), cache.key)
    first = reread.meta['sample_ids'][0]
    assert first.endswith('.png') or first.endswith('.jpg')
    assert torch.isfinite(reread[first].float()).all()
    torch.manual_seed(0)
    assert extract_features(cfg, workers=0).key == cache.key  # same weights: reused

    cfg.feature_cache.resolution = (32, 32)
    with pytest.raises(ValueError, match=r'the pipeline gives \(64, 64\) inputs'):
        extract_features(cfg, workers=0)
