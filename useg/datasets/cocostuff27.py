"""COCO-Stuff-27: the 171 used stuff+thing ids (0..181) merged into 27 coarse classes."""
import os
import os.path as osp

import numpy as np

from useg.registry import DATASETS
from useg.utils import IGNORE_INDEX
from .palette import pascal_palette
from .unsupervised_seg_dataset import UnsupervisedSegDataset

# Coarse class -> the fine COCO-Stuff ids (stuffthingmaps values) merged into it; the STEGO /
# PiCIE / PriMaPs protocol. 12 thing classes (0..11), then 15 stuff classes (12..26).
COARSE_TO_FINE = {
    'electronic': [71, 72, 73, 74, 75, 76],
    'appliance': [77, 78, 79, 80, 81, 82],
    'food': [51, 52, 53, 54, 55, 56, 57, 58, 59, 60],
    'furniture': [61, 62, 63, 64, 65, 66, 67, 68, 69, 70],
    'indoor': [83, 84, 85, 86, 87, 88, 89, 90],
    'kitchen': [43, 44, 45, 46, 47, 48, 49, 50],
    'accessory': [25, 26, 27, 28, 29, 30, 31, 32],
    'animal': [15, 16, 17, 18, 19, 20, 21, 22, 23, 24],
    'outdoor': [9, 10, 11, 12, 13, 14],
    'person': [0],
    'sports': [33, 34, 35, 36, 37, 38, 39, 40, 41, 42],
    'vehicle': [1, 2, 3, 4, 5, 6, 7, 8],
    'ceiling': [101, 102],
    'floor': [100, 113, 114, 115, 116, 117],
    'food-stuff': [120, 121, 152, 169],
    'furniture-stuff': [97, 106, 107, 109, 111, 122, 129, 132, 155, 160, 164],
    'raw-material': [99, 131, 138, 142],
    'textile': [91, 92, 103, 104, 108, 130, 136, 140, 151, 166, 167],
    'wall': [170, 171, 172, 173, 174, 175, 176],
    'window': [179, 180],
    'building': [94, 95, 127, 150, 157, 165],
    'ground': [110, 124, 125, 135, 139, 143, 144, 146, 148, 153, 158],
    'plant': [93, 96, 118, 123, 128, 133, 141, 162, 168],
    'sky': [105, 156],
    'solid': [126, 134, 149, 159, 161, 181],
    'structural': [98, 112, 137, 145, 163],
    'water': [119, 147, 154, 177, 178],
}
SPLIT_DIRS = {'train': 'train2017', 'val': 'val2017'}
CURATED_LISTS = {'train': 'Coco164kFull_Stuff_Coarse.txt', 'val': 'Coco164kFull_Stuff_Coarse_7.txt'}


def cocostuff27_label_lookup():
    """``(256,)`` uint8: stuffthingmaps value -> coarse class; 255 and every value outside
    the table -> 255 (ignore)."""
    lookup = np.full(256, IGNORE_INDEX, dtype=np.uint8)
    for coarse_id, fine_ids in enumerate(COARSE_TO_FINE.values()):
        lookup[fine_ids] = coarse_id
    return lookup


@DATASETS.register_module()
class CocoStuff27Dataset(UnsupervisedSegDataset):
    """COCO-Stuff 164k with the 27 coarse classes (``split`` ``'train'`` or ``'val'``).

    ``image_list``: ``'curated'`` (default) reads the STEGO/IIC curated id list of the split
    (``Coco164kFull_Stuff_Coarse.txt`` for train, ``..._7.txt`` for val: 49,629 / 2,175
    images); another file name reads that list from ``curated/<split dir>/``; ``None`` uses
    every image of the split. Labels map fine ids -> coarse through ``COARSE_TO_FINE``.
    """
    METAINFO = dict(classes=tuple(COARSE_TO_FINE), palette=pascal_palette(len(COARSE_TO_FINE)))
    LAYOUT = """\
  images/{train2017,val2017}/<id>.jpg
  annotations/{train2017,val2017}/<id>.png      (stuffthingmaps: fine ids 0..181, 255 unlabelled)
  curated/{train2017,val2017}/Coco164kFull_Stuff_Coarse.txt, Coco164kFull_Stuff_Coarse_7.txt
  cropped/five_crop_0.5/{imgs,labels}/train/   (only with crop_dir; tools/crop_dataset.py)"""
    PREPARE = """\
  images: http://images.cocodataset.org/zips/{train2017,val2017}.zip -> images/
  labels: stuffthingmaps_trainval2017.zip (cocostuff GitHub) -> annotations/
  curated lists: STEGO's cocostuff 'curated' folder -> curated/
  five crops: python tools/crop_dataset.py CocoStuff27Dataset DATA_ROOT --split train"""

    def __init__(self, data_root, split='train', image_list='curated', **kwargs):
        if split not in SPLIT_DIRS:
            raise ValueError(f'CocoStuff27Dataset split must be one of {list(SPLIT_DIRS)}, '
                             f'got {split!r}')
        self.image_list = image_list
        super().__init__(data_root, split=split, label_lookup=cocostuff27_label_lookup(), **kwargs)

    def list_samples(self):
        split_dir = SPLIT_DIRS[self.split]
        img_dir = osp.join(self.data_root, 'images', split_dir)
        label_dir = osp.join(self.data_root, 'annotations', split_dir)
        self.require(img_dir)
        self.require(label_dir)
        if self.image_list is None:
            ids = sorted(name[:-4] for name in os.listdir(img_dir) if name.endswith('.jpg'))
        else:
            list_name = CURATED_LISTS[self.split] if self.image_list == 'curated' else \
                self.image_list
            list_path = osp.join(self.data_root, 'curated', split_dir, list_name)
            self.require(list_path, kind='file')
            with open(list_path) as file:
                ids = [line.strip() for line in file if line.strip()]
        samples = [(osp.join(img_dir, f'{image_id}.jpg'), osp.join(label_dir, f'{image_id}.png'))
                   for image_id in ids]
        for img_path, seg_map_path in samples:
            for path in (img_path, seg_map_path):
                if not osp.isfile(path):
                    raise self.layout_error(f'missing file {path} (listed for split '
                                            f'{self.split!r})')
        return samples
