import hashlib
import runpy
import sys
from pathlib import Path

import numpy as np
from PIL import Image

from useg.datasets import make_synthetic_dataset

REPO = Path(__file__).resolve().parents[2]


def digest(root):
    files = sorted(Path(root).rglob('*.png'))
    return [(file.relative_to(root).as_posix(), hashlib.sha1(file.read_bytes()).hexdigest())
            for file in files]


def test_layout_and_determinism(tmp_path):
    first = make_synthetic_dataset(str(tmp_path / 'a'), num_train=3, num_val=2, size=(20, 30))
    second = make_synthetic_dataset(str(tmp_path / 'b'), num_train=3, num_val=2, size=(20, 30))
    other = make_synthetic_dataset(str(tmp_path / 'c'), num_train=3, num_val=2, size=(20, 30),
                                   seed=1)
    assert [name for name, _ in digest(first)] == [
        'imgs/train/0000.png', 'imgs/train/0001.png', 'imgs/train/0002.png',
        'imgs/val/0000.png', 'imgs/val/0001.png', 'labels/train/0000.png',
        'labels/train/0001.png', 'labels/train/0002.png', 'labels/val/0000.png',
        'labels/val/0001.png']
    assert digest(first) == digest(second)
    assert digest(first) != digest(other)
    label = np.asarray(Image.open(tmp_path / 'a' / 'labels' / 'val' / '0000.png'))
    assert label.shape == (20, 30) and label.max() < 4


def nearest_mean_colour_accuracy(root, num_classes):
    """Pixel accuracy on val of a nearest-mean-colour classifier fit on the train pixels."""
    root = Path(root)

    def pixels(split):
        images = [np.asarray(Image.open(f)) for f in sorted((root / 'imgs' / split).glob('*'))]
        labels = [np.asarray(Image.open(f)) for f in sorted((root / 'labels' / split).glob('*'))]
        return (np.concatenate([i.reshape(-1, 3) for i in images]).astype(float),
                np.concatenate([l.ravel() for l in labels]))

    train_x, train_y = pixels('train')
    means = np.stack([train_x[train_y == k].mean(0) for k in range(num_classes)])
    val_x, val_y = pixels('val')
    assert len(np.unique(val_y)) >= 2
    predicted = ((val_x[:, None] - means[None]) ** 2).sum(-1).argmin(1)
    return (predicted == val_y).mean()


def test_classes_are_learnable_from_colour(tmp_path):
    root = make_synthetic_dataset(str(tmp_path), num_train=6, num_val=3, num_classes=5)
    assert nearest_mean_colour_accuracy(root, 5) > 0.9


def test_paired_scenes_are_not_separable_by_colour_and_deterministic(tmp_path):
    """Paired scenes: classes k and k + K/2 share a hue, so mean colour confuses them."""
    options = dict(num_train=6, num_val=3, size=(48, 48), num_classes=6, scenes='paired')
    root = make_synthetic_dataset(str(tmp_path / 'a'), **options)
    assert digest(root) == digest(make_synthetic_dataset(str(tmp_path / 'b'), **options))
    assert nearest_mean_colour_accuracy(root, 6) < 0.7
    noisy = make_synthetic_dataset(str(tmp_path / 'c'), **options, noise=30.0)
    assert digest(noisy) != digest(root)


def test_cli(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, 'argv', ['make_synthetic_dataset.py', str(tmp_path), '--num-train',
                                      '1', '--num-val', '1', '--size', '8', '12', '--scenes',
                                      'paired'])
    runpy.run_path(str(REPO / 'tools' / 'make_synthetic_dataset.py'), run_name='__main__')
    assert np.asarray(Image.open(tmp_path / 'imgs' / 'val' / '0000.png')).shape == (8, 12, 3)
