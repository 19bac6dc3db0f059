import numpy as np
import pytest
from scipy.io import savemat

from useg.datasets import DatasetLayoutError, Potsdam3Dataset
from tests.datasets.dataset_test_files import packed_label

MAT_PIPELINE = [dict(type='LoadMatImageFromFile'), dict(type='LoadMatAnnotations'),
                dict(type='PackSegInputs')]


def make_potsdam(root, label, ids=('tile_1',)):
    (root / 'imgs').mkdir(parents=True)
    (root / 'gt').mkdir()
    image = np.zeros(label.shape + (4,), np.uint8)
    image[..., 0], image[..., 1], image[..., 2], image[..., 3] = 10, 20, 30, 40
    for image_id in ids:
        savemat(root / 'imgs' / f'{image_id}.mat', {'img': image})
        savemat(root / 'gt' / f'{image_id}.mat', {'gt': label})
    for name in ('labelled_train.txt', 'labelled_test.txt'):
        (root / name).write_text('\n'.join(ids) + '\n')


def test_every_raw_value_and_rgb_channels(tmp_path, every_raw_value):
    make_potsdam(tmp_path, every_raw_value)
    dataset = Potsdam3Dataset(str(tmp_path), split='val', pipeline=MAT_PIPELINE)
    sample = dataset[0]
    expected = np.full(256, 255)
    expected[:6] = [0, 1, 2, 2, 0, 1]
    assert (packed_label(sample).ravel() == expected).all()
    # inputs are BGR (LoadImageFromFile's order): B=30, G=20, R=10; infrared dropped.
    assert sample['inputs'].shape == (3, 16, 16)
    assert sample['inputs'][:, 0, 0].tolist() == [30, 20, 10]


def test_missing_label_of_labelled_split_and_bad_split(tmp_path, every_raw_value):
    make_potsdam(tmp_path, every_raw_value)
    (tmp_path / 'gt' / 'tile_1.mat').unlink()
    with pytest.raises(DatasetLayoutError, match='tile_1.mat'):
        Potsdam3Dataset(str(tmp_path), split='train')
    with pytest.raises(ValueError, match='split'):
        Potsdam3Dataset(str(tmp_path), split='test')
