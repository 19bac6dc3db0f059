"""Load the authors' precomputed over-segmentation PNGs (HSG's ``instance_label`` input)."""
import os.path as osp

import numpy as np
from mmcv.transforms import BaseTransform
from PIL import Image

from useg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadRegionMap(BaseTransform):
    """Read ``region_root/<image path relative to data_root, .png>`` as ``pseudo_seg_map``.

    The files are single-channel PNGs of region ids (HSG: uint16 written by MATLAB, <= 48 regions,
    e.g. ``seginst/rf_0.25_48/`` for VOC / COCO). They are read with PIL ``convert('I')`` and must
    hold ids below 255 (255 marks padding / ignore downstream).

    Args:
        region_root (str): folder of the region PNGs.
        data_root (str, optional): the dataset root the image paths are relative to (None: the
            file name only).
    """

    def __init__(self, region_root, data_root=None):
        self.region_root = region_root
        self.data_root = data_root

    def path_for(self, img_path):
        relative = osp.relpath(img_path, self.data_root) if self.data_root else \
            osp.basename(img_path)
        return osp.join(self.region_root, osp.splitext(relative)[0] + '.png')

    def transform(self, results):
        path = self.path_for(results['img_path'])
        if not osp.isfile(path):
            raise FileNotFoundError(f'no region map for {results["img_path"]} (expected {path}); '
                                    'download the authors\' maps or use the FelzenszwalbRegions '
                                    'pseudo labeler instead')
        regions = np.asarray(Image.open(path).convert('I'))
        if regions.max() >= 255:
            raise ValueError(f'{path} holds region id {int(regions.max())}; ids must be < 255')
        height, width = results['img'].shape[:2]
        if regions.shape != (height, width):
            raise ValueError(f'{path} is {regions.shape[1]}x{regions.shape[0]} but the image is '
                             f'{width}x{height}')
        results['pseudo_seg_map'] = regions.astype(np.uint8)
        results.setdefault('seg_fields', [])
        if 'pseudo_seg_map' not in results['seg_fields']:
            results['seg_fields'].append('pseudo_seg_map')
        return results
