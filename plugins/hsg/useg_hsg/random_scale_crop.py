"""HSG's per-view geometry: flip, rescale, pad top-left, random crop (HSG section 3)."""
import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from useg.registry import TRANSFORMS

# ImageNet mean in BGR uint8, the colour the reference pads images with.
MEAN_BGR = (103.53, 116.28, 123.675)


@TRANSFORMS.register_module()
class RandomScaleCrop(BaseTransform):
    """Flip (p=0.5), rescale by ``U(scale_range)`` (bilinear image, nearest maps), pad bottom /
    right to at least ``crop_size`` (image: mean colour, maps: 255), random ``crop_size`` crop.

    Applies to ``img`` and to every key in ``seg_fields``.

    Args:
        crop_size (int): square crop side (HSG: 224 stage 1, 448 stage 2).
        scale_range (tuple[float, float]): rescale factor range (0.5, 1.5).
        flip_prob (float): horizontal flip probability.
    """

    def __init__(self, crop_size, scale_range=(0.5, 1.5), flip_prob=0.5):
        if crop_size < 1 or scale_range[0] <= 0 or scale_range[0] > scale_range[1]:
            raise ValueError(f'bad crop_size {crop_size} or scale_range {scale_range}')
        self.crop_size = int(crop_size)
        self.scale_range = tuple(scale_range)
        self.flip_prob = flip_prob

    def transform(self, results):
        keys = list(results.get('seg_fields', []))
        image = results['img']
        maps = {key: results[key] for key in keys}
        if np.random.rand() < self.flip_prob:
            image = image[:, ::-1]
            maps = {key: value[:, ::-1] for key, value in maps.items()}
        ratio = np.random.uniform(*self.scale_range)
        height, width = int(ratio * image.shape[0]), int(ratio * image.shape[1])
        image = cv2.resize(np.ascontiguousarray(image), (width, height),
                           interpolation=cv2.INTER_LINEAR)
        maps = {key: cv2.resize(np.ascontiguousarray(value), (width, height),
                                interpolation=cv2.INTER_NEAREST) for key, value in maps.items()}
        pad_h, pad_w = max(self.crop_size - height, 0), max(self.crop_size - width, 0)
        if pad_h or pad_w:
            image = cv2.copyMakeBorder(image, 0, pad_h, 0, pad_w, cv2.BORDER_CONSTANT,
                                       value=MEAN_BGR)
            maps = {key: cv2.copyMakeBorder(value, 0, pad_h, 0, pad_w, cv2.BORDER_CONSTANT,
                                            value=255) for key, value in maps.items()}
        top = np.random.randint(0, image.shape[0] - self.crop_size + 1)
        left = np.random.randint(0, image.shape[1] - self.crop_size + 1)
        window = (slice(top, top + self.crop_size), slice(left, left + self.crop_size))
        results['img'] = np.ascontiguousarray(image[window])
        for key, value in maps.items():
            results[key] = np.ascontiguousarray(value[window])
        results['img_shape'] = results['img'].shape[:2]
        return results
