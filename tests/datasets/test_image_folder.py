import numpy as np
import pytest

from useg.datasets import DatasetLayoutError, ImageFolderDataset, make_synthetic_dataset
from tests.datasets.dataset_test_files import LABELLED_PIPELINE, packed_label, save_png


@pytest.fixture
def folder(tmp_path):
    return make_synthetic_dataset(str(tmp_path / 'data'), num_train=3, num_val=2, size=(24, 32),
                                  num_classes=3, seed=1)


def test_reads_images_and_labels(folder):
    dataset = ImageFolderDataset(folder, split='val', num_classes=3, pipeline=LABELLED_PIPELINE)
    assert len(dataset) == 2
    sample = dataset[1]
    assert sample['inputs'].shape == (3, 24, 32)
    assert set(np.unique(packed_label(sample))) <= {0, 1, 2}
    assert dataset.metainfo['classes'] == ('class_0', 'class_1', 'class_2')
    assert len(dataset.metainfo['palette']) == 3


def test_labels_are_optional(folder, tmp_path):
    unlabelled = tmp_path / 'unlabelled'
    (unlabelled / 'imgs').mkdir(parents=True)
    (tmp_path / 'data' / 'imgs' / 'train').rename(unlabelled / 'imgs' / 'train')
    dataset = ImageFolderDataset(str(unlabelled), num_classes=3, classes=['a', 'b', 'c'],
                                 pipeline=[dict(type='LoadImageFromFile')])
    assert 'seg_map_path' not in dataset.get_data_info(0)
    assert dataset[0]['img'].shape == (24, 32, 3)
    with pytest.raises(DatasetLayoutError, match='labels/{train,val}'):
        ImageFolderDataset(str(unlabelled), num_classes=3, with_labels=True)


def test_missing_root_and_empty_split_explain_the_layout(tmp_path):
    with pytest.raises(DatasetLayoutError, match='make_synthetic_dataset.py') as error:
        ImageFolderDataset(str(tmp_path / 'nowhere'), num_classes=2)
    assert 'imgs/{train,val}' in str(error.value)
    (tmp_path / 'imgs' / 'train').mkdir(parents=True)
    with pytest.raises(DatasetLayoutError, match="split 'train' is empty"):
        ImageFolderDataset(str(tmp_path), num_classes=2)
    with pytest.raises(ValueError, match='num_classes'):
        ImageFolderDataset(str(tmp_path), classes=['a'], num_classes=2)


def test_bad_files_give_errors_naming_the_file(folder, tmp_path):
    images = tmp_path / 'data' / 'imgs' / 'train'
    labels = tmp_path / 'data' / 'labels' / 'train'
    (images / '0000.png').write_bytes(b'not an image')
    save_png(labels / '0001.png', np.zeros((5, 5), np.uint8))
    save_png(labels / '0002.png', np.full((24, 32), 7, np.uint8))
    dataset = ImageFolderDataset(folder, num_classes=3, pipeline=LABELLED_PIPELINE)
    with pytest.raises(RuntimeError, match='0000.png'):
        dataset[0]
    with pytest.raises(RuntimeError, match=r'label .*0001.png has size \(5, 5\)'):
        dataset[1]
    with pytest.raises(RuntimeError, match=r'0002.png has values \[7\] outside \[0, 3\)'):
        dataset[2]
    (labels / '0000.png').unlink()
    with pytest.raises(DatasetLayoutError, match='has no label'):
        ImageFolderDataset(folder, num_classes=3)
