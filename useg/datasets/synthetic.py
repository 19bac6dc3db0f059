"""Synthetic textured scenes for the quickstart and the tests (deterministic from a seed).

Two generators: ``'standard'`` (every class its own colour -- patch colour alone separates
them; the quickstart's default) and ``'paired'`` (classes in pairs that share a hue and differ
only by stripe texture, with per-region jitter, illumination ramp and noise -- colour alone
cannot separate them; the learning benchmark's and tests' scenes).
"""
import colorsys
import os
import os.path as osp

import numpy as np
from PIL import Image

SPLITS = ('train', 'val')


def class_appearance(num_classes):
    """Per class: an RGB base colour ``(K, 3)`` (evenly spaced hues) and a stripe texture
    (orientation ``(K,)`` radians, period ``(K,)`` pixels)."""
    colours = np.array([colorsys.hsv_to_rgb(k / num_classes, 0.65, 0.75)
                        for k in range(num_classes)]) * 255
    orientations = np.pi * np.arange(num_classes) / num_classes
    periods = 4.0 + 3.0 * (np.arange(num_classes) % 3)
    return colours, orientations, periods


def synthetic_scene(rng, size, num_classes, min_regions=3, max_regions=7, noise=8.0):
    """One scene: image ``(H, W, 3)`` uint8 RGB and label ``(H, W)`` uint8 class ids.

    The label is a Voronoi partition into several regions, each a random class; a pixel's
    colour is its class colour plus its class's stripe texture plus noise, so classes are
    separable from colour/texture statistics alone.
    """
    height, width = size
    num_regions = int(rng.integers(min_regions, max_regions + 1))
    centres = rng.uniform((0, 0), (height, width), size=(num_regions, 2))
    region_classes = rng.integers(0, num_classes, size=num_regions)
    rows, cols = np.mgrid[0:height, 0:width].astype(np.float64)
    distances = (rows[..., None] - centres[:, 0]) ** 2 + (cols[..., None] - centres[:, 1]) ** 2
    label = region_classes[distances.argmin(-1)].astype(np.uint8)

    colours, orientations, periods = class_appearance(num_classes)
    angle = orientations[label]
    phase = 2 * np.pi * (cols * np.cos(angle) + rows * np.sin(angle)) / periods[label]
    stripes = 35.0 * np.sin(phase)[..., None]
    noise = rng.normal(0, noise, size=(height, width, 3))
    image = np.clip(colours[label] + stripes + noise, 0, 255).round().astype(np.uint8)
    return image, label


def paired_texture_scene(rng, size, num_classes, min_regions=3, max_regions=7, noise=10.0):
    """One harder scene: image ``(H, W, 3)`` uint8 RGB and label ``(H, W)`` uint8 class ids.

    Voronoi regions of random classes; classes ``k`` and ``k + num_classes // 2`` share a hue
    and differ by stripe orientation (90 degrees apart) and period; every region jitters its
    hue, saturation, brightness, stripe contrast and phase; an illumination ramp across the
    image and Gaussian noise (std ``noise``) are added.
    """
    height, width = size
    num_regions = int(rng.integers(min_regions, max_regions + 1))
    centres = rng.uniform((0, 0), (height, width), size=(num_regions, 2))
    rows, cols = np.mgrid[0:height, 0:width].astype(np.float64)
    regions = ((rows[..., None] - centres[:, 0]) ** 2 +
               (cols[..., None] - centres[:, 1]) ** 2).argmin(-1)
    region_classes = rng.integers(0, num_classes, size=num_regions)
    half = max(1, num_classes // 2)
    image = np.zeros((height, width, 3))
    for region, cls in enumerate(region_classes):
        mask = regions == region
        hue = (cls % half) / half + rng.uniform(-0.03, 0.03)
        colour = np.array(colorsys.hsv_to_rgb(hue % 1, rng.uniform(0.45, 0.75),
                                              rng.uniform(0.5, 0.85))) * 255
        angle = np.pi * (0.15 + (cls % half) / (2 * half) + 0.5 * (cls >= half))
        period = 5.0 + 4.0 * (cls >= half) + rng.uniform(-0.5, 0.5)
        phase = rng.uniform(0, 2 * np.pi)
        stripes = np.sin(2 * np.pi * (cols * np.cos(angle) + rows * np.sin(angle)) / period
                         + phase)
        image[mask] = colour + rng.uniform(25, 45) * stripes[mask][:, None]
    ramp = 1 + 0.15 * (cols / width - 0.5) * rng.choice([-1, 1])
    image = image * ramp[..., None] + rng.normal(0, noise, size=image.shape)
    label = region_classes[regions].astype(np.uint8)
    return np.clip(image, 0, 255).round().astype(np.uint8), label


SCENES = {'standard': synthetic_scene, 'paired': paired_texture_scene}


def make_synthetic_dataset(root, num_train=16, num_val=8, size=(96, 96), num_classes=4, seed=0,
                           scenes='standard', noise=None):
    """Write an ``ImageFolderDataset`` layout of synthetic scenes under ``root``.

    ``root/imgs/{train,val}/NNNN.png`` (RGB) and ``root/labels/{train,val}/NNNN.png`` (class
    ids in ``[0, num_classes)``); ``size`` is ``(H, W)``. The same arguments always give the
    same bytes. ``scenes``: ``'standard'`` (:func:`synthetic_scene`) or ``'paired'``
    (:func:`paired_texture_scene`); ``noise`` overrides the generator's noise std. Returns
    ``root``.
    """
    if num_classes < 2:
        raise ValueError(f'num_classes must be >= 2, got {num_classes}')
    if scenes not in SCENES:
        raise ValueError(f'scenes must be one of {sorted(SCENES)}, got {scenes!r}')
    scene = SCENES[scenes]
    options = {} if noise is None else dict(noise=noise)
    rng = np.random.default_rng(seed)
    for split, count in zip(SPLITS, (num_train, num_val)):
        img_dir = osp.join(root, 'imgs', split)
        label_dir = osp.join(root, 'labels', split)
        os.makedirs(img_dir, exist_ok=True)
        os.makedirs(label_dir, exist_ok=True)
        for index in range(count):
            image, label = scene(rng, size, num_classes, **options)
            Image.fromarray(image).save(osp.join(img_dir, f'{index:04d}.png'))
            Image.fromarray(label).save(osp.join(label_dir, f'{index:04d}.png'))
    return root
