"""STEGO's five-crop preprocessing of a training split (the logic of tools/crop_dataset.py).

From every full-resolution image and label of the split take the torchvision ``five_crop``
of size ``(int(r*H), int(r*W))``: top-left, top-right, bottom-left, bottom-right, centre; crop
``k`` of image ``i`` is written as ``OUT/imgs/<split>/{5i+k:07d}.jpg`` (JPEG, PIL's default quality
75, as STEGO) and ``OUT/labels/<split>/{5i+k:07d}.png`` (class ids after the dataset's label
mapping, 255 = ignore). Images whose five crops exist are skipped, so an interrupted run resumes.
"""
import os
import os.path as osp

import numpy as np
from PIL import Image
from tqdm import tqdm

from useg.utils import atomic_path


def five_crop_boxes(height, width, ratio):
    """``[(top, left, h, w)] * 5`` of torchvision's ``five_crop`` with size ``int(ratio*H),
    int(ratio*W)``: tl, tr, bl, br, centre (centre offset ``int(round((H - h) / 2))``)."""
    crop_h, crop_w = int(ratio * height), int(ratio * width)
    bottom, right = height - crop_h, width - crop_w
    centre = (int(round(bottom / 2.0)), int(round(right / 2.0)))
    corners = [(0, 0), (0, right), (bottom, 0), (bottom, right), centre]
    return [(top, left, crop_h, crop_w) for top, left in corners]


def read_label(path, lookup, image_size):
    """Label ``(H, W)`` uint8 mapped through ``lookup`` ``(256,)``; errors name the file."""
    label = np.asarray(Image.open(path))
    if label.ndim != 2:
        raise ValueError(f'label {path} must be single-channel, got shape {label.shape}')
    if label.shape != image_size:
        raise ValueError(f'label {path} has size {label.shape} but its image has {image_size}')
    label = label.astype(np.uint8)
    return label if lookup is None else lookup[label]


def save_atomically(image, path):
    """Save a PIL image so that an interruption leaves no partial file."""
    with atomic_path(path) as temporary:
        image.save(temporary)


def crop_split(dataset, out_dir, split, ratio):
    """Write the five crops of every sample of ``dataset``; returns ``(written, skipped)``."""
    img_dir = osp.join(out_dir, 'imgs', split)
    label_dir = osp.join(out_dir, 'labels', split)
    os.makedirs(img_dir, exist_ok=True)
    os.makedirs(label_dir, exist_ok=True)
    lookup = dataset.label_lookup
    written = skipped = 0
    for index in tqdm(range(len(dataset)), desc=f'five-crop {split}', unit='img'):
        info = dataset.get_data_info(index)
        names = [f'{5 * index + k:07d}' for k in range(5)]
        targets = [(osp.join(img_dir, f'{name}.jpg'), osp.join(label_dir, f'{name}.png'))
                   for name in names]
        if all(osp.isfile(img) and osp.isfile(label) for img, label in targets):
            skipped += 1
            continue
        if 'seg_map_path' not in info:
            raise ValueError(f"image {info['img_path']} has no label; five-crop needs labels")
        try:
            image = Image.open(info['img_path']).convert('RGB')
        except OSError as error:
            raise OSError(f"cannot read image {info['img_path']}: {error}") from error
        label = read_label(info['seg_map_path'], lookup, (image.height, image.width))
        for (top, left, height, width), (img_path, label_path) in zip(
                five_crop_boxes(image.height, image.width, ratio), targets):
            save_atomically(image.crop((left, top, left + width, top + height)), img_path)
            save_atomically(Image.fromarray(label[top:top + height, left:left + width]),
                            label_path)
        written += 1
    return written, skipped
