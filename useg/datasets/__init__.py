"""Datasets (COCO-Stuff-27, Cityscapes-27, Potsdam-3, image folders), transforms and the
synthetic scene generator. Importing this package registers everything."""
from . import transforms
from .cityscapes27 import Cityscapes27Dataset, cityscapes27_label_lookup
from .cocostuff27 import CocoStuff27Dataset, cocostuff27_label_lookup
from .dataset_layout import DatasetLayoutError
from .five_crop import crop_split, five_crop_boxes
from .image_folder import ImageFolderDataset
from .potsdam3 import Potsdam3Dataset, potsdam3_label_lookup
from .synthetic import make_synthetic_dataset
from .unsupervised_seg_dataset import UnsupervisedSegDataset

__all__ = ['Cityscapes27Dataset', 'CocoStuff27Dataset', 'DatasetLayoutError',
           'ImageFolderDataset', 'Potsdam3Dataset', 'UnsupervisedSegDataset',
           'cityscapes27_label_lookup', 'cocostuff27_label_lookup', 'crop_split',
           'five_crop_boxes', 'make_synthetic_dataset', 'potsdam3_label_lookup', 'transforms']
