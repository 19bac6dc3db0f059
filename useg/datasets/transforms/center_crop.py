"""Centre crop of the image and every segmentation field (torchvision offsets)."""
import numpy as np
from mmcv.transforms import BaseTransform

from useg.registry import TRANSFORMS
from useg.utils import IGNORE_INDEX


def center_crop_box(height, width, crop_height, crop_width):
    """``(top, left)`` of a centred crop: ``int(round((H - h) / 2))``, as torchvision."""
    return int(round((height - crop_height) / 2.0)), int(round((width - crop_width) / 2.0))


def pad_to(array, height, width, value):
    """Pad ``array`` ``(H, W[, C])`` symmetrically (torchvision's split) to at least
    ``(height, width)`` with ``value``."""
    pad_h, pad_w = max(height - array.shape[0], 0), max(width - array.shape[1], 0)
    if not pad_h and not pad_w:
        return array
    padding = [(pad_h // 2, pad_h - pad_h // 2), (pad_w // 2, pad_w - pad_w // 2)]
    padding += [(0, 0)] * (array.ndim - 2)
    return np.pad(array, padding, constant_values=value)


@TRANSFORMS.register_module()
class TorchvisionCenterCrop(BaseTransform):
    """Crop the centre ``crop_size`` (int or ``(h, w)``) of ``img`` and of every field in
    ``seg_fields`` (mmcv's ``CenterCrop`` crops ``gt_seg_map`` only; hence
    its own name). Inputs smaller than
    the crop are padded first (image with 0, labels with 255). Updates ``img_shape``."""

    def __init__(self, crop_size):
        self.crop_size = (crop_size, crop_size) if isinstance(crop_size, int) else \
            tuple(crop_size)

    def transform(self, results):
        crop_height, crop_width = self.crop_size
        keys = ['img'] + list(results.get('seg_fields', []))
        for key in keys:
            array = pad_to(results[key], crop_height, crop_width,
                           0 if key == 'img' else IGNORE_INDEX)
            top, left = center_crop_box(array.shape[0], array.shape[1], crop_height, crop_width)
            results[key] = np.ascontiguousarray(
                array[top:top + crop_height, left:left + crop_width])
        results['img_shape'] = results['img'].shape[:2]
        return results

    def __repr__(self):
        return f'{type(self).__name__}(crop_size={self.crop_size})'
