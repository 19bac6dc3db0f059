"""Pipeline transform that reads a per-image depth map as a label-like field."""
import os.path as osp

import numpy as np
import torch
from mmcv.transforms import BaseTransform
from PIL import Image

from useg.registry import TRANSFORMS

SCALES = ('unit', 'raw', 'truncate')
DEPTH_FIELD = 'gt_depth_map'


def depth_file_for(img_path, depth_root=None, suffix='.png', img_root=None):
    """The depth file of an image: ``<depth_root>/<path relative to img_root (else the file name)>``
    with ``suffix``, or next to the image when ``depth_root`` is None."""
    stem = osp.splitext(img_path)[0]
    if depth_root is None:
        return stem + suffix
    relative = osp.relpath(stem, img_root) if img_root else osp.basename(stem)
    return osp.join(depth_root, relative + suffix)


def read_depth_file(path, scale='unit'):
    """``(H, W)`` float32 of an 8/16-bit PNG, ``.npy`` or ``.pt`` depth file, scaled (see LoadDepthMap)."""
    if scale not in SCALES:
        raise ValueError(f'scale must be one of {SCALES}, got {scale!r}')
    if path.endswith('.npy'):
        values = np.load(path)
    elif path.endswith('.pt'):
        values = torch.load(path, weights_only=True).cpu().numpy()
    else:
        values = np.array(Image.open(path))
        if values.dtype == np.int32:  # PIL's mode 'I' of a 16-bit PNG
            values = values.astype(np.uint16)
    if values.ndim != 2:
        raise ValueError(f'{path}: depth maps must be (H, W), got {values.shape}')
    raw = values.astype(np.float32)
    if np.issubdtype(values.dtype, np.floating):
        unit = raw
    elif values.dtype in (np.uint8, np.uint16):
        unit = raw / np.float32(255 if values.dtype == np.uint8 else 65535)
    else:
        raise ValueError(f'{path}: depth maps must be 8/16-bit integers or floats, got {values.dtype}')
    if scale == 'raw':
        return raw
    return unit if scale == 'unit' else np.trunc(unit)


@TRANSFORMS.register_module()
class LoadDepthMap(BaseTransform):
    """Read ``results['depth_path']`` (else the file derived from ``img_path``) as ``gt_depth_map``.

    Stores float32 ``(H, W)`` and appends ``'gt_depth_map'`` to ``seg_fields`` so geometric
    transforms treat it like a label; mmseg's ``PackSegInputs`` packs it as a ``(1, H, W)`` PixelData.

    Args:
        scale: ``'unit'`` (8-bit / 255, 16-bit / 65535, float files unchanged), ``'raw'`` (stored
            integers as floats: the reference's COCO / Cityscapes loading) or ``'truncate'`` (the unit
            value truncated to {0, 1}: the reference's Potsdam loading).
        depth_root: folder of the depth files mirroring the image tree below ``results['img_root']``
            (the file name alone without it); None = next to the images.
        suffix: depth file extension (``.png``, ``.npy`` or ``.pt``).
    """

    def __init__(self, scale='unit', depth_root=None, suffix='.png'):
        if scale not in SCALES:
            raise ValueError(f'scale must be one of {SCALES}, got {scale!r}')
        self.scale = scale
        self.depth_root = depth_root
        self.suffix = suffix

    def transform(self, results):
        path = results.get('depth_path') or depth_file_for(
            results['img_path'], self.depth_root, self.suffix, results.get('img_root'))
        if not osp.isfile(path):
            raise FileNotFoundError(f'depth map {path} not found: run `useg precompute CONFIG` '
                                    '(or write image-aligned depth files there)')
        results[DEPTH_FIELD] = read_depth_file(path, self.scale)
        fields = results.setdefault('seg_fields', [])
        if DEPTH_FIELD not in fields:
            fields.append(DEPTH_FIELD)
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(scale={self.scale!r}, depth_root={self.depth_root!r}, '
                f'suffix={self.suffix!r})')
