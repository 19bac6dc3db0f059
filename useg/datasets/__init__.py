"""Datasets (COCO-Stuff-27, Cityscapes-27, Potsdam-3, image folders), transforms and the
synthetic scene generator. Importing this package registers everything."""
from . import transforms
from .cityscapes27 import Cityscapes27Dataset
from .cocostuff27 import CocoStuff27Dataset
from .dataset_layout import DatasetLayoutError
from .image_folder import ImageFolderDataset
from .potsdam3 import Potsdam3Dataset
from .synthetic import make_synthetic_dataset
from .unsupervised_seg_dataset import UnsupervisedSegDataset

__all__ = ['Cityscapes27Dataset', 'CocoStuff27Dataset', 'DatasetLayoutError',
           'ImageFolderDataset', 'Potsdam3Dataset', 'UnsupervisedSegDataset',
           'make_synthetic_dataset', 'transforms']
