"""Tiny MaskContrast config end to end: DINO saliency labels -> pretraining -> K-means test."""
import os.path as osp

REPO_ROOT = osp.abspath(osp.join(osp.dirname(__file__), '..', '..', '..'))
CONFIG = osp.join(REPO_ROOT, 'configs', 'maskcontrast', 'tiny_synthetic.py')


def test_tiny_synthetic_train_test(train_test):
    metrics = train_test(CONFIG)
    assert 0.0 <= metrics['kmeans/mIoU'] <= 100.0
    assert 'kmeans/mIoU_seed1234' in metrics and 'kmeans/mIoU_seed1235' in metrics
