"""The pseudo-label cache: precompute, resume, and training's refusal without a cache."""
import os.path as osp

import numpy as np
import pytest
import torch
from PIL import Image

from useg.apis import UsegError, load_config, set_data_root
from useg.pseudo_labels import (BasePseudoLabeler, precompute_pseudo_labels,
                                resolve_pseudo_label_cache)
from useg.registry import PSEUDO_LABELERS

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@PSEUDO_LABELERS.register_module(force=True)
class DarkPixelLabeler(BasePseudoLabeler):
    """Test labeler: 1 where the image is darker than ``level``, else 255; records the paths it saw."""

    requires_features = False
    requires_paths = True

    def __init__(self, level=128):
        super().__init__()
        self.level = level
        self._seen = []

    def forward(self, feats, images, img_paths=None):
        assert feats is None
        self._seen.extend(img_paths)
        dark = images.float().mean(-1) < self.level
        return torch.where(dark, 1, 255).to(torch.uint8)


def config(synthetic_data_root, tmp_path, level=128):
    cfg = load_config(osp.join(REPO_ROOT, 'configs', 'baseline', 'tiny_synthetic.py'))
    set_data_root(cfg, synthetic_data_root)
    cfg.pseudo_labels = dict(labeler=dict(type='DarkPixelLabeler', level=level),
                             cache_dir=str(tmp_path / 'cache'), batch_size=4,
                             pipeline=[dict(type='LoadImageFromFile'), dict(type='PackSegInputs')])
    cfg.train_dataloader.dataset.pipeline = [dict(type='LoadImageFromFile'),
                                             dict(type='LoadPseudoLabel'),
                                             dict(type='PackUnsupervisedSegInputs')]
    return cfg


def test_precompute_writes_every_map_and_resumes(synthetic_data_root, tmp_path):
    cfg = config(synthetic_data_root, tmp_path)
    with pytest.raises(UsegError, match='tools/precompute_pseudo_labels.py my_config.py'):
        resolve_pseudo_label_cache(cfg, 'my_config.py')
    summary = precompute_pseudo_labels(cfg, workers=0)
    assert summary['images'] == summary['computed'] == 16
    directory = resolve_pseudo_label_cache(cfg)
    image = osp.join(synthetic_data_root, 'imgs', 'train', '0000.png')
    cached = np.asarray(Image.open(osp.join(directory, 'imgs', 'train', '0000.png')))
    expected = np.where(np.asarray(Image.open(image).convert('RGB')).mean(-1) < 128, 1, 255)
    np.testing.assert_array_equal(cached, expected)
    # resumable: nothing left to do; a different labeler parameter is a different cache
    assert precompute_pseudo_labels(cfg, workers=0)['computed'] == 0
    other = config(synthetic_data_root, tmp_path, level=64)
    with pytest.raises(UsegError, match='not computed yet'):
        resolve_pseudo_label_cache(other)


def test_training_pipeline_reads_the_cached_maps(synthetic_data_root, tmp_path):
    from mmengine.registry import init_default_scope

    from useg.registry import DATASETS
    cfg = config(synthetic_data_root, tmp_path)
    precompute_pseudo_labels(cfg, workers=0)
    resolve_pseudo_label_cache(cfg)
    init_default_scope('useg')
    sample = DATASETS.build(cfg.train_dataloader.dataset)[0]['data_samples']
    values = set(np.unique(sample.pseudo_sem_seg.data.numpy()).tolist())
    assert values <= {1, 255} and sample.pseudo_sem_seg.shape == (96, 96)
