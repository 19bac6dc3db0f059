import numpy as np
import pytest

from useg.datasets import Cityscapes27Dataset, DatasetLayoutError
from tests.datasets.dataset_test_files import LABELLED_PIPELINE, packed_label, save_png


def make_cityscapes(root, label, split='val', city='aachen', name='aachen_000000_000019'):
    save_png(root / 'leftImg8bit' / split / city / f'{name}_leftImg8bit.png',
             np.zeros(label.shape + (3,), np.uint8))
    save_png(root / 'gtFine' / split / city / f'{name}_gtFine_labelIds.png', label)


def test_every_label_id_maps_to_the_27_class_protocol(tmp_path, every_raw_value):
    make_cityscapes(tmp_path, every_raw_value)
    dataset = Cityscapes27Dataset(str(tmp_path), split='val', pipeline=LABELLED_PIPELINE)
    expected = np.full(256, 255)
    expected[7:34] = np.arange(27)
    assert (packed_label(dataset[0]).ravel() == expected).all()
    classes = dataset.metainfo['classes']
    assert len(classes) == 27 and classes[0] == 'road' and classes[2] == 'parking'
    assert classes[11] == 'polegroup' and classes[-1] == 'bicycle'


def test_missing_label_and_empty_split(tmp_path, every_raw_value):
    make_cityscapes(tmp_path, every_raw_value)
    (tmp_path / 'gtFine' / 'val' / 'aachen' / 'aachen_000000_000019_gtFine_labelIds.png').unlink()
    with pytest.raises(DatasetLayoutError, match='aachen_000000_000019_leftImg8bit.png'):
        Cityscapes27Dataset(str(tmp_path), split='val')
    (tmp_path / 'leftImg8bit' / 'train').mkdir()
    (tmp_path / 'gtFine' / 'train').mkdir()
    with pytest.raises(DatasetLayoutError, match="split 'train' is empty") as error:
        Cityscapes27Dataset(str(tmp_path), split='train')
    assert 'gtFine_trainvaltest.zip' in str(error.value)
