"""configs/depthg/tiny_synthetic.py end to end: precompute (KNN + layout depth) -> train -> test."""
import glob
import os.path as osp

import numpy as np
import pytest

from useg import apis
from useg.apis import load_config, set_data_root
from useg.testing import REPO_ROOT, single_process_loaders
from useg.tools.precompute import needed_precomputes, run_precomputes
from useg.utils import UsegError
from useg_depthg.depth_maps import missing_depth_maps

CONFIG = osp.join(REPO_ROOT, 'configs', 'depthg', 'tiny_synthetic.py')


@pytest.fixture
def depth_data_root(tmp_path):
    from useg.datasets import make_synthetic_dataset
    root = str(tmp_path / 'synthetic')
    make_synthetic_dataset(root, num_train=8, num_val=4, size=(64, 64), num_classes=4, seed=0)
    return root


def test_tiny_config_trains_end_to_end(depth_data_root, tmp_path):
    work_dir = str(tmp_path / 'work_dir')
    cfg = load_config(CONFIG, {'train_cfg.max_iters': 4, 'train_cfg.val_interval': 4,
                               'default_hooks.checkpoint.interval': 4}, work_dir)
    set_data_root(cfg, depth_data_root)
    single_process_loaders(cfg)
    cfg.train_dataloader.dataset.knn.cache_dir = str(tmp_path / 'knn')
    assert needed_precomputes(cfg) == ['knn', 'depth']
    from useg.neighbors.precompute import precompute_knn
    precompute_knn(cfg, workers=0)
    with pytest.raises(UsegError, match='useg precompute'):
        apis.train(cfg.copy())  # no depth maps yet: stops at the start with the command
    run_precomputes(cfg, workers=0)
    assert not missing_depth_maps(cfg)
    written = sorted(glob.glob(osp.join(depth_data_root, 'imgs', 'train', '*_depth.npy')))
    assert len(written) == 8
    depth = np.load(written[0])
    assert depth.dtype == np.float32 and depth.shape == (64, 64) and 0 <= depth.min() <= depth.max() <= 1
    assert depth[0].mean() > depth[-1].mean()  # far at the top of the scene
    apis.train(cfg.copy())  # the neighbour's depth comes through KNNPairDataset
    with open(osp.join(work_dir, 'last_checkpoint')) as file:
        checkpoint = osp.join(work_dir, file.read().strip())
    metrics = apis.test(cfg.copy(), checkpoint)
    assert 0 <= metrics['cluster/mIoU'] <= 100
