"""The checkout's root, configs and scripts, and single-process loaders for tests."""
import importlib.util
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


def load_script(*parts):
    """The module of a checkout script, e.g. ``load_script('benchmarks', 'learning.py')``."""
    path = osp.join(REPO_ROOT, *parts)
    name = 'useg_script_' + '_'.join(osp.splitext(part)[0] for part in parts)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
