"""Shared fixtures: a generated dataset and a train -> test runner over the tools' code path."""
import os.path as osp
import warnings

import pytest

import useg  # noqa: F401  (mmcv.ops stand-in before anything imports mmseg)

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
warnings.filterwarnings('ignore', message='Fail to import ``MultiScaleDeformableAttention``')


def config_path(*parts):
    """Absolute path of a config under ``configs/``."""
    return osp.join(REPO_ROOT, 'configs', *parts)


@pytest.fixture(scope='session')
def synthetic_data_root(tmp_path_factory):
    """A small generated dataset in the image-folder layout (4 classes, 96x96)."""
    from useg.datasets import make_synthetic_dataset
    root = str(tmp_path_factory.mktemp('synthetic'))
    make_synthetic_dataset(root, num_train=16, num_val=8, size=(96, 96), num_classes=4, seed=0)
    return root


def _single_process_loaders(cfg):
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(key):
            cfg[key]['num_workers'] = 0
            cfg[key]['persistent_workers'] = False


@pytest.fixture
def train_test(synthetic_data_root, tmp_path):
    """``train_test(config, cfg_options=None, work_dir=None, data_root=None) -> test metrics``.

    Trains ``config`` (a path) on the generated dataset as tools/train.py would (pseudo labels
    and KNN tables precomputed first when the config uses them), then evaluates its last checkpoint as
    tools/test.py would.
    """
    from useg.apis import load_config, set_data_root, test, train
    from useg.precompute import run_precomputes

    def prepare(config, cfg_options, work_dir, data_root):
        cfg = load_config(config, cfg_options, work_dir)
        set_data_root(cfg, data_root)
        _single_process_loaders(cfg)
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
