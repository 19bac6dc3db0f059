"""The pytest fixtures of every useg test (``pytest.ini``: ``-p useg.testing.fixtures``).

``synthetic_data_root``: a generated dataset; ``train_test``: a train -> test run over the tools'
code path.
"""
import os.path as osp
import warnings

import pytest

from .paths import single_process_loaders

warnings.filterwarnings('ignore', message='Fail to import ``MultiScaleDeformableAttention``')


@pytest.fixture(scope='session')
def synthetic_data_root(tmp_path_factory):
    """A small generated dataset in the image-folder layout (4 classes, 96x96)."""
    from useg.datasets import make_synthetic_dataset
    root = str(tmp_path_factory.mktemp('synthetic'))
    make_synthetic_dataset(root, num_train=16, num_val=8, size=(96, 96), num_classes=4, seed=0)
    return root


@pytest.fixture
def train_test(synthetic_data_root, tmp_path):
    """``train_test(config, cfg_options=None, work_dir=None, data_root=None) -> test metrics``.

    Trains ``config`` (a path) on the generated dataset as tools/train.py would (the config's
    declared precompute steps run first), then evaluates its last checkpoint as
    tools/test.py would.
    """
    from useg.apis import load_config, set_data_root, test, train
    from useg.precompute import run_precomputes

    def prepare(config, cfg_options, work_dir, data_root):
        cfg = load_config(config, cfg_options, work_dir)
        set_data_root(cfg, data_root)
        single_process_loaders(cfg)
        if cfg.get('pseudo_labels'):
            cfg.pseudo_labels.cache_dir = str(tmp_path / 'pseudo_labels')
        if cfg.train_dataloader.dataset.get('type') == 'KNNPairDataset':
            cfg.train_dataloader.dataset.knn.cache_dir = str(tmp_path / 'knn')
        return cfg

    def run(config, cfg_options=None, work_dir=None, data_root=None):
        work_dir = work_dir or str(tmp_path / 'work_dir')
        data_root = data_root or synthetic_data_root
        cfg = prepare(config, cfg_options, work_dir, data_root)
        run_precomputes(cfg, workers=0)  # every declared step (pseudo labels, KNN, a plugin's)
        train(cfg)
        with open(osp.join(work_dir, 'last_checkpoint')) as file:
            checkpoint = osp.join(work_dir, file.read().strip())  # relative to the work dir
        assert osp.isfile(checkpoint), checkpoint
        return test(prepare(config, cfg_options, work_dir, data_root), checkpoint)

    return run
