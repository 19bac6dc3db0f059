"""The reference linear-probe augmentation: one random zoom and rotation about the centre."""
import cv2
import numpy as np
from mmcv.transforms import BaseTransform

from useg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class ScaleAndRotate(BaseTransform):
    """``cv2.warpAffine`` of the image (bicubic) and every seg field (nearest) by one rotation in
    ``rotation`` degrees and one scale in ``scale``, output size unchanged, border 0 (as the
    reference's ``ScaleNRotate``: uncovered label pixels become class 0)."""

    def __init__(self, rotation=(-5, 5), scale=(0.75, 1.25)):
        self.rotation = tuple(rotation)
        self.scale = tuple(scale)

    def transform(self, results):
        angle = np.random.uniform(*self.rotation)
        zoom = np.random.uniform(*self.scale)
        height, width = results['img'].shape[:2]
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), angle, zoom)
        results['img'] = cv2.warpAffine(results['img'], matrix, (width, height),
                                        flags=cv2.INTER_CUBIC)
        for key in results.get('seg_fields', []):
            results[key] = cv2.warpAffine(results[key], matrix, (width, height),
                                          flags=cv2.INTER_NEAREST)
        return results
