"""Cityscapes with the 27-class protocol of STEGO / PiCIE / PriMaPs (labelIds 7..33)."""
import os
import os.path as osp

import numpy as np

from useg.registry import DATASETS
from useg.utils import IGNORE_INDEX
from .unsupervised_seg_dataset import UnsupervisedSegDataset

# Class id = labelId - FIRST_LABEL_ID for labelIds 7..33; Cityscapes' official colours.
FIRST_LABEL_ID = 7
CLASSES_AND_COLOURS = (
    ('road', (128, 64, 128)), ('sidewalk', (244, 35, 232)), ('parking', (250, 170, 160)),
    ('rail track', (230, 150, 140)), ('building', (70, 70, 70)), ('wall', (102, 102, 156)),
    ('fence', (190, 153, 153)), ('guard rail', (180, 165, 180)), ('bridge', (150, 100, 100)),
    ('tunnel', (150, 120, 90)), ('pole', (153, 153, 153)), ('polegroup', (153, 153, 153)),
    ('traffic light', (250, 170, 30)), ('traffic sign', (220, 220, 0)),
    ('vegetation', (107, 142, 35)), ('terrain', (152, 251, 152)), ('sky', (70, 130, 180)),
    ('person', (220, 20, 60)), ('rider', (255, 0, 0)), ('car', (0, 0, 142)),
    ('truck', (0, 0, 70)), ('bus', (0, 60, 100)), ('caravan', (0, 0, 90)),
    ('trailer', (0, 0, 110)), ('train', (0, 80, 100)), ('motorcycle', (0, 0, 230)),
    ('bicycle', (119, 11, 32)))
IMAGE_SUFFIX = '_leftImg8bit.png'
LABEL_SUFFIX = '_gtFine_labelIds.png'


def cityscapes27_label_lookup():
    """``(256,)`` uint8: labelId -> class (7..33 -> 0..26); every other value -> 255."""
    lookup = np.full(256, IGNORE_INDEX, dtype=np.uint8)
    num_classes = len(CLASSES_AND_COLOURS)
    lookup[FIRST_LABEL_ID:FIRST_LABEL_ID + num_classes] = np.arange(num_classes)
    return lookup


@DATASETS.register_module()
class Cityscapes27Dataset(UnsupervisedSegDataset):
    """Cityscapes fine annotations (``split`` ``'train'`` 2,975 / ``'val'`` 500 images) with the
    27 classes of labelIds 7..33 (includes parking, rail track, guard rail, bridge, tunnel,
    polegroup, caravan, trailer); labelIds < 7 or > 33 are ignored (255)."""
    METAINFO = dict(classes=tuple(name for name, _ in CLASSES_AND_COLOURS),
                    palette=[list(colour) for _, colour in CLASSES_AND_COLOURS])
    LAYOUT = """\
  leftImg8bit/{train,val}/<city>/<name>_leftImg8bit.png
  gtFine/{train,val}/<city>/<name>_gtFine_labelIds.png
  cropped/five_crop_0.5/{imgs,labels}/train/   (only with crop_dir; tools/crop_dataset.py)"""
    PREPARE = """\
  download leftImg8bit_trainvaltest.zip and gtFine_trainvaltest.zip from
  https://www.cityscapes-dataset.com (login) and unzip both into DATA_ROOT
  five crops: python tools/crop_dataset.py Cityscapes27Dataset DATA_ROOT --split train"""

    def __init__(self, data_root, split='train', **kwargs):
        super().__init__(data_root, split=split, label_lookup=cityscapes27_label_lookup(), **kwargs)

    def list_samples(self):
        img_root = osp.join(self.data_root, 'leftImg8bit', self.split)
        label_root = osp.join(self.data_root, 'gtFine', self.split)
        self.require(img_root)
        self.require(label_root)
        samples = []
        for city in sorted(os.listdir(img_root)):
            city_dir = osp.join(img_root, city)
            if not osp.isdir(city_dir):
                continue
            for name in sorted(os.listdir(city_dir)):
                if not name.endswith(IMAGE_SUFFIX):
                    continue
                label = osp.join(label_root, city, name[:-len(IMAGE_SUFFIX)] + LABEL_SUFFIX)
                if not osp.isfile(label):
                    raise self.layout_error(f'image {osp.join(city_dir, name)} has no label '
                                            f'{label}')
                samples.append((osp.join(city_dir, name), label))
        return samples
