"""The tiny PriMaPs-EM config trains and tests end to end on the synthetic scenes."""
import os.path as osp

ROOT = osp.join(osp.dirname(__file__), '..', '..', '..')
CONFIG = osp.join(ROOT, 'configs', 'primaps', 'tiny_synthetic.py')


def test_tiny_config_train_to_test(train_test):
    metrics = train_test(CONFIG)
    for key in ('cluster/mIoU', 'cluster/Acc', 'linear/Acc'):
        assert key in metrics, sorted(metrics)
        assert 0 <= metrics[key] <= 100
