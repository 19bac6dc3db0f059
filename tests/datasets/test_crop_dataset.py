import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from useg.datasets import Cityscapes27Dataset, DatasetLayoutError
from tests.datasets.dataset_test_files import LABELLED_PIPELINE, packed_label, save_png

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / 'tools'))
import crop_dataset  # noqa: E402
from useg.datasets import crop_split, five_crop_boxes  # noqa: E402


def test_five_crop_boxes_follow_torchvision():
    assert five_crop_boxes(11, 8, 0.5) == [(0, 0, 5, 4), (0, 4, 5, 4), (6, 0, 5, 4),
                                           (6, 4, 5, 4), (3, 2, 5, 4)]


def test_crops_are_mapped_resumable_and_readable(tmp_path):
    label = np.full((12, 16), 7, np.uint8)  # labelId 7 = road = class 0
    label[6:, 8:] = 33  # bicycle = class 26
    label[0, 0] = 3  # ignored
    image = np.zeros((12, 16, 3), np.uint8)
    image[..., 0] = np.arange(16) * 10
    city = 'leftImg8bit/train/bonn'
    save_png(tmp_path / city / 'bonn_000000_000019_leftImg8bit.png', image)
    save_png(tmp_path / 'gtFine/train/bonn/bonn_000000_000019_gtFine_labelIds.png', label)
    out = tmp_path / 'cropped' / 'five_crop_0.5'
    dataset = Cityscapes27Dataset(str(tmp_path), split='train')
    assert crop_split(dataset, str(out), 'train', 0.5) == (1, 0)
    assert crop_split(dataset, str(out), 'train', 0.5) == (0, 1)
    labels = [np.asarray(Image.open(out / 'labels' / 'train' / f'{k:07d}.png')) for k in range(5)]
    assert labels[0].shape == (6, 8) and labels[0][0, 0] == 255 and labels[0][1, 1] == 0
    assert (labels[3] == 26).all()
    assert (labels[4] == np.array([[0] * 4 + [0] * 4] * 3 + [[0] * 4 + [26] * 4] * 3)).all()
    top_right = np.asarray(Image.open(out / 'imgs' / 'train' / '0000001.jpg'))
    assert abs(int(top_right[0, 0, 0]) - 80) <= 3  # JPEG; column 8 has red 80
    cropped = Cityscapes27Dataset(str(tmp_path), split='train', crop_dir='cropped/five_crop_0.5',
                                  pipeline=LABELLED_PIPELINE)
    assert len(cropped) == 5 and (packed_label(cropped[3]) == 26).all()


def test_cli_reports_a_half_prepared_root(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, 'argv', ['crop_dataset.py', 'Cityscapes27Dataset', str(tmp_path)])
    with pytest.raises(DatasetLayoutError) as error:
        crop_dataset.main()
    assert 'leftImg8bit' in str(error.value) and 'crop_dataset.py' in str(error.value)
