import numpy as np
import pytest

from useg.datasets import CocoStuff27Dataset, DatasetLayoutError
from useg.registry import DATASETS
from tests.datasets.dataset_test_files import LABELLED_PIPELINE, packed_label, save_jpg, save_png

# STEGO's fine_to_coarse, written as the list of coarse ids of fine ids 0..181.
STEGO_FINE_TO_COARSE = [
    9, 11, 11, 11, 11, 11, 11, 11, 11, 8, 8, 8, 8, 8, 8, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 6, 6, 6, 6,
    6, 6, 6, 6, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 5, 5, 5, 5, 5, 5, 5, 5, 2, 2, 2, 2, 2, 2,
    2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 4, 4, 4, 4, 4, 4,
    4, 4, 17, 17, 22, 20, 20, 22, 15, 25, 16, 13, 12, 12, 17, 17, 23, 15, 15, 17, 15, 21, 15, 25,
    13, 13, 13, 13, 13, 22, 26, 14, 14, 15, 22, 21, 21, 24, 20, 22, 15, 17, 16, 15, 22, 24, 21, 17,
    25, 16, 21, 17, 22, 16, 21, 21, 25, 21, 26, 21, 24, 20, 17, 14, 21, 26, 15, 23, 20, 21, 24, 15,
    24, 22, 25, 15, 20, 17, 17, 22, 14, 18, 18, 18, 18, 18, 18, 18, 26, 26, 19, 19, 24]


def make_coco(root, label, ids=('000000000001', '000000000002'), listed=None):
    for split_dir in ('train2017', 'val2017'):
        for image_id in ids:
            save_jpg(root / 'images' / split_dir / f'{image_id}.jpg',
                     np.full(label.shape + (3,), 100, np.uint8))
            save_png(root / 'annotations' / split_dir / f'{image_id}.png', label)
        (root / 'curated' / split_dir).mkdir(parents=True)
        for name in ('Coco164kFull_Stuff_Coarse.txt', 'Coco164kFull_Stuff_Coarse_7.txt'):
            (root / 'curated' / split_dir / name).write_text('\n'.join(listed or ids[:1]) + '\n')


def test_every_raw_value_maps_as_stego(tmp_path, every_raw_value):
    make_coco(tmp_path, every_raw_value)
    dataset = DATASETS.build(dict(type='CocoStuff27Dataset', data_root=str(tmp_path),
                                  split='val', pipeline=LABELLED_PIPELINE))
    expected = np.array(STEGO_FINE_TO_COARSE + [255] * (256 - 182)).reshape(16, 16)
    assert len(dataset) == 1
    assert (packed_label(dataset[0]) == expected).all()
    assert dataset.num_classes == 27
    assert dataset.metainfo['classes'][:3] == ('electronic', 'appliance', 'food')
    assert dataset.metainfo['classes'][12] == 'ceiling'


def test_image_list_options(tmp_path, every_raw_value):
    make_coco(tmp_path, every_raw_value)
    every_image = CocoStuff27Dataset(str(tmp_path), split='train', image_list=None)
    assert len(every_image) == 2
    with pytest.raises(ValueError, match='split'):
        CocoStuff27Dataset(str(tmp_path), split='test')


def test_half_prepared_root_names_layout_and_command(tmp_path, every_raw_value):
    make_coco(tmp_path, every_raw_value, listed=['000000000001', '000000000009'])
    with pytest.raises(DatasetLayoutError) as error:
        CocoStuff27Dataset(str(tmp_path), split='train')
    message = str(error.value)
    assert '000000000009.jpg' in message
    assert 'curated/{train2017,val2017}' in message and 'crop_dataset.py' in message
    with pytest.raises(DatasetLayoutError, match='missing directory'):
        CocoStuff27Dataset(str(tmp_path / 'absent'))


def test_cropped_split_is_read_without_lookup(tmp_path):
    crops = tmp_path / 'cropped' / 'five_crop_0.5'
    save_jpg(crops / 'imgs' / 'train' / '0.jpg', np.zeros((8, 8, 3), np.uint8))
    save_png(crops / 'labels' / 'train' / '0.png', np.full((8, 8), 26, np.uint8))
    dataset = CocoStuff27Dataset(str(tmp_path), split='train', crop_dir='cropped/five_crop_0.5',
                                 pipeline=LABELLED_PIPELINE)
    assert (packed_label(dataset[0]) == 26).all()
