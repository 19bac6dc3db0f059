"""Potsdam-3: the ISPRS Potsdam tiles of IIC/STEGO (``.mat`` files) with 3 coarse classes."""
import os.path as osp

import numpy as np

from useg.registry import DATASETS
from useg.utils import IGNORE_INDEX
from .unsupervised_seg_dataset import UnsupervisedSegDataset

# Fine Potsdam label -> coarse class (STEGO's table); other values -> 255.
FINE_TO_COARSE = {0: 0, 4: 0,  # roads and cars
                  1: 1, 5: 1,  # buildings and clutter
                  2: 2, 3: 2}  # trees and low vegetation
SPLIT_LISTS = {'train': 'labelled_train.txt', 'val': 'labelled_test.txt',
               'unlabelled_train': 'unlabelled_train.txt', 'all': 'all.txt'}
LABELLED_SPLITS = ('train', 'val')


def potsdam3_label_lookup():
    """``(256,)`` uint8: fine Potsdam label -> coarse class, everything else -> 255."""
    lookup = np.full(256, IGNORE_INDEX, dtype=np.uint8)
    for fine, coarse in FINE_TO_COARSE.items():
        lookup[fine] = coarse
    return lookup


@DATASETS.register_module()
class Potsdam3Dataset(UnsupervisedSegDataset):
    """Potsdam-3 (``split``: ``'train'`` = labelled_train, ``'val'`` = labelled_test,
    ``'unlabelled_train'``, ``'all'``). Images and labels are ``.mat`` files: load them with
    ``LoadMatImageFromFile`` (RGB of key ``img``; infrared dropped) and ``LoadMatAnnotations``
    (key ``gt``). Ids listed without a ``gt`` file (unlabelled splits) have no label."""
    METAINFO = dict(classes=('roads and cars', 'buildings and clutter', 'trees and vegetation'),
                    palette=[[128, 128, 128], [220, 20, 60], [34, 139, 34]])
    LAYOUT = """\
  labelled_train.txt, labelled_test.txt, unlabelled_train.txt, all.txt   (one id per line)
  imgs/<id>.mat    (key 'img': H x W x 4 RGB+IR uint8)
  gt/<id>.mat      (key 'gt': H x W fine labels 0..5)"""
    PREPARE = """\
  download potsdam.zip of STEGO (python src/download_datasets.py in mhamilton723/STEGO,
  or IIC's Potsdam preparation) and unzip so that DATA_ROOT holds the files above"""

    def __init__(self, data_root, split='train', **kwargs):
        if split not in SPLIT_LISTS:
            raise ValueError(f'Potsdam3Dataset split must be one of {list(SPLIT_LISTS)}, '
                             f'got {split!r}')
        super().__init__(data_root, split=split, label_lookup=potsdam3_label_lookup(), **kwargs)

    def list_samples(self):
        list_path = osp.join(self.data_root, SPLIT_LISTS[self.split])
        self.require(list_path, kind='file')
        self.require(osp.join(self.data_root, 'imgs'))
        with open(list_path) as file:
            ids = [line.strip() for line in file if line.strip()]
        samples = []
        for image_id in ids:
            img_path = osp.join(self.data_root, 'imgs', f'{image_id}.mat')
            if not osp.isfile(img_path):
                raise self.layout_error(f'missing file {img_path} (listed in {list_path})')
            label_path = osp.join(self.data_root, 'gt', f'{image_id}.mat')
            if self.split in LABELLED_SPLITS and not osp.isfile(label_path):
                raise self.layout_error(f'missing file {label_path} (labelled split '
                                        f'{self.split!r})')
            samples.append((img_path, label_path if osp.isfile(label_path) else None))
        return samples
