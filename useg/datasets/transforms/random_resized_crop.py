"""Random resized crop of the image and every segmentation field (mmseg/mmcv have none)."""
import numpy as np
import torch
from mmcv.transforms import BaseTransform
from torchvision.transforms import RandomResizedCrop as TorchvisionRandomResizedCrop

from useg.registry import TRANSFORMS
from .pil_resize import PIL_INTERPOLATIONS, pil_resize


@TRANSFORMS.register_module()
class RandomResizedCrop(BaseTransform):
    """torchvision ``RandomResizedCrop``: a box of area fraction in ``scale`` and aspect
    ratio in ``ratio`` (torchvision's sampling), resized to ``size`` (int or ``(h, w)``).

    ``img`` is resized with PIL ``interpolation``; every field of ``seg_fields`` gets the
    same box and PIL nearest. Updates ``img_shape``.
    """

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3 / 4, 4 / 3), interpolation='bilinear'):
        if interpolation not in PIL_INTERPOLATIONS:
            raise ValueError(f'interpolation must be one of {list(PIL_INTERPOLATIONS)}, '
                             f'got {interpolation!r}')
        self.size = (size, size) if isinstance(size, int) else tuple(size)
        self.scale = tuple(scale)
        self.ratio = tuple(ratio)
        self.interpolation = interpolation

    def transform(self, results):
        height, width = results['img'].shape[:2]
        top, left, box_h, box_w = TorchvisionRandomResizedCrop.get_params(
            torch.empty(1, height, width), list(self.scale), list(self.ratio))
        for key in ['img'] + list(results.get('seg_fields', [])):
            crop = results[key][top:top + box_h, left:left + box_w]
            interpolation = self.interpolation if key == 'img' else 'nearest'
            results[key] = np.ascontiguousarray(pil_resize(crop, self.size, interpolation))
        results['img_shape'] = self.size
        return results

    def __repr__(self):
        return (f'{type(self).__name__}(size={self.size}, scale={self.scale}, '
                f'ratio={self.ratio}, interpolation={self.interpolation!r})')
