"""Helpers the core's and every plugin's tests share (pytest is needed only by ``fixtures``).

``pytest.ini`` loads ``useg.testing.fixtures`` (``-p``), so ``synthetic_data_root`` and
``train_test`` reach the tests under ``tests/`` and under every ``plugins/<m>/tests/``.
"""
from .batches import segmentation_batch
from .distributed import distributed_config, free_port, load, torchrun
from .method_configs import installed_methods, tiny_config_methods, tiny_configs
from .paths import REPO_ROOT, config_path, load_script, single_process_loaders

__all__ = ['REPO_ROOT', 'config_path', 'load_script', 'single_process_loaders', 'distributed_config', 'free_port',
           'load', 'torchrun', 'installed_methods', 'tiny_config_methods',
           'tiny_configs', 'segmentation_batch']
