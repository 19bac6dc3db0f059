"""Photometric augmentations with torchvision semantics on uint8 images (``img`` only)."""
import numpy as np
import torch
from mmcv.transforms import BaseTransform
from torchvision.transforms import v2

from useg.registry import TRANSFORMS


def apply_to_bgr_image(img, transform):
    """Run a torchvision ``transform`` on ``img`` ``(H, W, 3)`` uint8 BGR (mmseg's order) as a
    ``(3, H, W)`` uint8 RGB tensor; returns ``(H, W, 3)`` uint8 BGR."""
    rgb = torch.from_numpy(np.ascontiguousarray(img[:, :, ::-1])).permute(2, 0, 1)
    out = transform(rgb)
    return np.ascontiguousarray(out.permute(1, 2, 0).numpy()[:, :, ::-1])


class TorchvisionImageTransform(BaseTransform):
    """Base: ``results['img']`` through ``self.transform_image`` (a torchvision transform),
    applied with probability ``prob`` (torch's global RNG, like torchvision)."""

    def __init__(self, prob=1.0):
        self.prob = prob

    def transform(self, results):
        if self.prob >= 1.0 or torch.rand(1).item() < self.prob:
            results['img'] = apply_to_bgr_image(results['img'], self.transform_image)
        return results


@TRANSFORMS.register_module()
class ColorJitter(TorchvisionImageTransform):
    """torchvision ``ColorJitter(brightness, contrast, saturation, hue)`` (random order of the
    four adjustments), with probability ``prob``."""

    def __init__(self, brightness=0.0, contrast=0.0, saturation=0.0, hue=0.0, prob=1.0):
        super().__init__(prob)
        self.transform_image = v2.ColorJitter(brightness, contrast, saturation, hue)

    def __repr__(self):
        return f'{type(self).__name__}({self.transform_image}, prob={self.prob})'


@TRANSFORMS.register_module()
class TorchvisionRandomGrayscale(TorchvisionImageTransform):
    """With probability ``prob``, torchvision grayscale (ITU-R 601 weights) kept as 3 channels
    (torch's RNG as torchvision; mmcv's ``RandomGrayscale`` differs, hence its own name)."""

    def __init__(self, prob=0.1):
        super().__init__(prob)
        self.transform_image = v2.Grayscale(num_output_channels=3)

    def __repr__(self):
        return f'{type(self).__name__}(prob={self.prob})'


@TRANSFORMS.register_module()
class RandomGaussianBlur(TorchvisionImageTransform):
    """With probability ``prob``, torchvision ``GaussianBlur(kernel_size, sigma)`` (sigma drawn
    uniformly from the ``(min, max)`` range per call)."""

    def __init__(self, prob=0.5, kernel_size=5, sigma=(0.1, 2.0)):
        super().__init__(prob)
        self.transform_image = v2.GaussianBlur(kernel_size, sigma)

    def __repr__(self):
        return f'{type(self).__name__}({self.transform_image}, prob={self.prob})'
