"""The checkout's root and configs, and single-process loaders for tests."""
import os.path as osp

import useg

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(useg.__file__)))  # the checkout (editable install)


def config_path(*parts):
    """Absolute path of a config under ``configs/``."""
    return osp.join(REPO_ROOT, 'configs', *parts)


def single_process_loaders(cfg):
    """Load every split in the test's process (no workers)."""
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(key):
            cfg[key]['num_workers'] = 0
            cfg[key]['persistent_workers'] = False
