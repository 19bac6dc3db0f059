"""Quiet tools: the mmcv-lite warning is filtered; the runner's banners need ``verbose``."""
import logging
import subprocess
import sys

from useg.engine.startup_banner_filter import StartupBannerFilter
from useg.compat.mmcv_ops import DEFORMABLE_ATTENTION_WARNING


def record(message):
    return logging.LogRecord('runner', logging.INFO, __file__, 1, message, None, None)


def test_startup_banners_are_dropped_and_training_logs_kept():
    banner = StartupBannerFilter()
    for message in ('Config:\nmodel = dict()', 'Hooks will be executed in the following order:\n',
                    '\n' + '-' * 60 + '\nSystem environment:\n    sys.platform: linux'):
        assert not banner.filter(record(message))
    for message in ('Iter(train) [20/60]  lr: 5e-2  eta: 0:00:01  loss: 1.2',
                    'Iter(val) [2/2]  cluster/mIoU: 63.4', 'per-class IoU (cluster, hungarian):'):
        assert banner.filter(record(message))


def test_the_deformable_attention_warning_is_filtered_once_useg_is_imported():
    import importlib.util
    source = importlib.util.find_spec('mmcv.cnn.bricks.transformer').origin
    with open(source) as file:
        assert DEFORMABLE_ATTENTION_WARNING in file.read()  # mmcv-lite's real warning text
    quiet = subprocess.run([sys.executable, '-W', 'default', '-c',
                            'import useg, mmcv.cnn.bricks.transformer'],
                           capture_output=True, text=True, check=True)
    assert 'MultiScaleDeformableAttention' not in quiet.stderr
