"""Helpers writing tiny dataset files for the dataset tests."""
from PIL import Image


def save_png(path, array):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path)


def save_jpg(path, array):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(array).save(path, quality=95)


LABELLED_PIPELINE = [dict(type='LoadImageFromFile'), dict(type='LoadCheckedAnnotations'),
                     dict(type='PackSegInputs')]


def packed_label(sample):
    """``(H, W)`` int64 numpy label of a packed sample."""
    return sample['data_samples'].gt_sem_seg.data[0].numpy()
