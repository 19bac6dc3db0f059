"""Load the authors' precomputed over-segmentation PNGs (HSG's ``instance_label`` input)."""
import os.path as osp

import numpy as np
from mmcv.transforms import BaseTransform
from PIL import Image

from useg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class LoadRegionMap(BaseTransform):
    """Read ``region_root/<image file stem>.png`` as ``pseudo_seg_map`` (a seg field).

    The authors' files are single-channel PNGs of region ids (uint16 written by MATLAB, <= 48
    regions), one flat folder per split: ``VOC2012/rf_0.25_48/``,
    ``seginst/rf_0.25_48/train2017/`` (COCO), ``seginst/pmi_0.05/`` (Cityscapes). They are read
    with PIL ``convert('I')`` and must hold ids below 255 (255 marks padding downstream).

    Args:
        region_root (str): the folder of region PNGs.
    """

    def __init__(self, region_root):
        self.region_root = region_root

    def path_for(self, img_path):
        return osp.join(self.region_root, osp.splitext(osp.basename(img_path))[0] + '.png')

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
