"""The pseudo-label cache: precompute, resume, determinism, rank split, and training's refusal
without a complete, current cache."""
import os
import os.path as osp
import shutil

import numpy as np
import pytest
import torch
from PIL import Image

from useg.apis import UsegError, load_config, set_data_root, train
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


@PSEUDO_LABELERS.register_module(force=True)
class RandomMaskLabeler(BasePseudoLabeler):
    """Test labeler: random class ids from the global torch RNG (as PriMaPs' random PCA start)."""

    requires_features = False

    def forward(self, feats, images):
        return torch.randint(0, 5, images.shape[:3]).to(torch.uint8)


def config(synthetic_data_root, tmp_path, level=128):
    cfg = load_config(osp.join(REPO_ROOT, 'configs', 'baseline', 'tiny_synthetic.py'),
                      work_dir=str(tmp_path / 'work'))
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
    with pytest.raises(UsegError, match='useg precompute my_config.py'):
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


def random_config(data_root, tmp_path, seed=0):
    cfg = config(data_root, tmp_path)
    cfg.pseudo_labels.labeler = dict(type='RandomMaskLabeler')
    cfg.randomness = dict(seed=seed)
    return cfg


def read_maps(directory):
    return {name: np.asarray(Image.open(osp.join(directory, 'imgs', 'train', name)))
            for name in sorted(os.listdir(osp.join(directory, 'imgs', 'train')))}


def test_precompute_is_deterministic_under_randomness_seed_and_resume(synthetic_data_root, tmp_path):
    first = random_config(synthetic_data_root, tmp_path / 'a')
    precompute_pseudo_labels(first, workers=0)
    reference = read_maps(resolve_pseudo_label_cache(first))
    second = random_config(synthetic_data_root, tmp_path / 'b')
    torch.manual_seed(123)  # whatever state the process is in
    precompute_pseudo_labels(second, workers=0)
    directory = resolve_pseudo_label_cache(second)
    assert read_maps(directory).keys() == reference.keys()
    assert all(np.array_equal(read_maps(directory)[name], reference[name]) for name in reference)
    # an interrupted run (maps 5 and 13 missing) redoes their batches and writes the same maps
    for name in ('0005.png', '0013.png'):
        os.remove(osp.join(directory, 'imgs', 'train', name))
    assert precompute_pseudo_labels(second, workers=0)['computed'] == 8
    assert all(np.array_equal(read_maps(directory)[name], reference[name]) for name in reference)
    other_seed = random_config(synthetic_data_root, tmp_path / 'c', seed=1)
    precompute_pseudo_labels(other_seed, workers=0)
    changed = read_maps(resolve_pseudo_label_cache(other_seed))
    assert not all(np.array_equal(changed[name], reference[name]) for name in reference)


def test_ranks_split_the_batches_and_rank_zero_completes(synthetic_data_root, tmp_path, monkeypatch):
    import useg.features.frozen_pass as frozen_pass
    single = random_config(synthetic_data_root, tmp_path / 'single')
    precompute_pseudo_labels(single, workers=0)
    reference = read_maps(resolve_pseudo_label_cache(single))
    cfg = random_config(synthetic_data_root, tmp_path / 'ranks')
    monkeypatch.setattr(frozen_pass, 'get_dist_info', lambda: (1, 2))
    assert precompute_pseudo_labels(cfg, workers=0)['computed'] == 8  # batches 1 and 3
    with pytest.raises(UsegError, match='not computed yet'):
        resolve_pseudo_label_cache(cfg)  # rank 1 never marks the cache complete
    monkeypatch.setattr(frozen_pass, 'get_dist_info', lambda: (0, 2))
    assert precompute_pseudo_labels(cfg, workers=0)['computed'] == 8  # batches 0 and 2
    maps = read_maps(resolve_pseudo_label_cache(cfg))
    assert all(np.array_equal(maps[name], reference[name]) for name in reference)


def relative(data_root, tmp_path):
    """The test config with a relative cache dir (which lives under the work dir's cache root)."""
    cfg = config(data_root, tmp_path)
    cfg.pseudo_labels.cache_dir = 'pl'
    return cfg


def test_training_checks_every_image_has_a_current_label(synthetic_data_root, tmp_path, monkeypatch):
    monkeypatch.delenv('USEG_CACHE', raising=False)
    data_root = str(tmp_path / 'data')
    shutil.copytree(synthetic_data_root, data_root)
    cfg = relative(data_root, tmp_path)
    precompute_pseudo_labels(cfg, workers=0)
    directory = resolve_pseudo_label_cache(relative(data_root, tmp_path))
    assert directory.startswith(str(tmp_path / 'work' / 'cache' / 'pl'))
    os.remove(osp.join(directory, 'imgs', 'train', '0007.png'))
    with pytest.raises(UsegError, match=r'1 of 16 training images have no cached pseudo label '
                       r'\(first: .*0007.png\); run: useg precompute my.py '
                       rf'--work-dir {tmp_path}/work$'):
        train(relative(data_root, tmp_path), config_path='my.py')
    precompute_pseudo_labels(cfg, workers=0)
    resolve_pseudo_label_cache(relative(data_root, tmp_path))
    for folder in ('imgs', 'labels'):  # a new training image
        shutil.copy(osp.join(data_root, folder, 'train', '0000.png'),
                    osp.join(data_root, folder, 'train', '0100.png'))
    with pytest.raises(UsegError, match='not computed yet for these images'):
        train(relative(data_root, tmp_path), config_path='my.py')
