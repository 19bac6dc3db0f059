"""Two independently augmented views of an image and its saliency mask (MaskContrast pretraining)."""
import numpy as np
import torchvision.transforms as T
import torchvision.transforms.functional as TF
from mmcv.transforms import BaseTransform
from PIL import Image

from useg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class MaskContrastViews(BaseTransform):
    """Query and key views, each with its own saliency crop, as the reference's torchvision pipeline.

    Per view: ``RandomResizedCrop(size, scale, ratio)`` (bilinear image, nearest mask); with
    probability ``jitter_prob`` ``ColorJitter(*jitter)``; ``RandomGrayscale(grayscale_prob)``;
    horizontal flip with probability 0.5. A pair is re-drawn unless both views' foreground share is
    in ``(min_area, max_area)``; after ``max_tries`` failures the transform returns None, so the
    dataset draws another image.

    Reads ``img`` (BGR uint8, from ``LoadImageFromFile``) and ``pseudo_seg_map`` (0/1 saliency,
    255 = ignore). Writes the query view to ``img`` / ``pseudo_seg_map`` and the key view to
    ``key_img`` / ``key_pseudo_seg_map`` (``(size, size)``, same encodings).
    """

    def __init__(self, size=224, scale=(0.2, 1.0), ratio=(3 / 4, 4 / 3), jitter=(0.4, 0.4, 0.4, 0.1),
                 jitter_prob=0.8, grayscale_prob=0.2, min_area=0.01, max_area=0.99, max_tries=3):
        self.size = (size, size) if isinstance(size, int) else tuple(size)
        self.scale = tuple(scale)
        self.ratio = tuple(ratio)
        self.jitter = T.ColorJitter(*jitter)
        self.jitter_prob = jitter_prob
        self.grayscale_prob = grayscale_prob
        self.min_area = min_area
        self.max_area = max_area
        self.max_tries = max_tries

    def view(self, image, mask):
        """One augmented ``(image (H, W, 3) RGB uint8, mask (H, W) uint8)`` pair from PIL inputs."""
        top, left, height, width = T.RandomResizedCrop.get_params(image, self.scale, self.ratio)
        image = TF.resized_crop(image, top, left, height, width, self.size,
                                T.InterpolationMode.BILINEAR)
        mask = TF.resized_crop(mask, top, left, height, width, self.size,
                               T.InterpolationMode.NEAREST)
        if np.random.random() < self.jitter_prob:
            image = self.jitter(image)
        if np.random.random() < self.grayscale_prob:
            image = TF.to_grayscale(image, num_output_channels=3)
        if np.random.random() < 0.5:
            image = image.transpose(Image.FLIP_LEFT_RIGHT)
            mask = mask.transpose(Image.FLIP_LEFT_RIGHT)
        return np.asarray(image), np.asarray(mask)

    def valid(self, mask):
        area = (mask == 1).mean()
        return self.min_area < area < self.max_area

    def transform(self, results):
        image = Image.fromarray(np.ascontiguousarray(results['img'][..., ::-1]))
        mask = Image.fromarray(np.asarray(results['pseudo_seg_map'], dtype=np.uint8))
        for _ in range(self.max_tries):
            key_image, key_mask = self.view(image, mask)
            query_image, query_mask = self.view(image, mask)
            if self.valid(key_mask) and self.valid(query_mask):
                results['img'] = np.ascontiguousarray(query_image[..., ::-1])
                results['pseudo_seg_map'] = query_mask.copy()
                results['key_img'] = np.ascontiguousarray(key_image[..., ::-1])
                results['key_pseudo_seg_map'] = key_mask.copy()
                results['img_shape'] = self.size
                return results
        return None
