"""Resizing with PIL semantics (the references' torchvision-on-PIL resizes)."""
import numpy as np
from mmcv.transforms import BaseTransform
from PIL import Image

from useg.registry import TRANSFORMS

PIL_INTERPOLATIONS = {'nearest': Image.NEAREST, 'bilinear': Image.BILINEAR,
                      'bicubic': Image.BICUBIC}


def pil_resize(array, size, interpolation):
    """Resize ``(H, W)`` or ``(H, W, C)`` uint8 ``array`` to ``size`` ``(H, W)`` with PIL.

    PIL NEAREST takes source index ``floor((dst + 0.5) * src / dst)`` (cv2 INTER_NEAREST
    does not; INTER_NEAREST_EXACT does); PIL BILINEAR antialiases when shrinking.
    """
    height, width = size
    if array.shape[:2] == (height, width):
        return array
    resample = PIL_INTERPOLATIONS[interpolation]
    if array.ndim == 3:
        channels = [np.asarray(Image.fromarray(np.ascontiguousarray(array[:, :, c]))
                               .resize((width, height), resample)) for c in range(array.shape[2])]
        return np.stack(channels, axis=2)
    return np.asarray(Image.fromarray(np.ascontiguousarray(array)).resize((width, height),
                                                                          resample))


def short_side_size(height, width, scale):
    """``(H, W)`` with the shorter side ``scale`` and the longer ``int(scale * long / short)``
    (torchvision ``Resize(int)``)."""
    if height <= width:
        return scale, int(scale * width / height)
    return int(scale * height / width), scale


@TRANSFORMS.register_module()
class PILResizeShortSide(BaseTransform):
    """Resize so the shorter side is ``scale`` (long side ``int(scale * long / short)``).

    ``img`` ``(H, W, 3)`` uint8 is resized with PIL ``interpolation`` (``'nearest'`` as STEGO,
    ``'bilinear'``); every field in ``seg_fields`` with PIL nearest. Updates ``img_shape`` and
    ``scale_factor`` ``(w_scale, h_scale)``.
    """

    def __init__(self, scale, interpolation='nearest'):
        if interpolation not in PIL_INTERPOLATIONS:
            raise ValueError(f'interpolation must be one of {list(PIL_INTERPOLATIONS)}, '
                             f'got {interpolation!r}')
        self.scale = scale
        self.interpolation = interpolation

    def transform(self, results):
        height, width = results['img'].shape[:2]
        size = short_side_size(height, width, self.scale)
        results['img'] = pil_resize(results['img'], size, self.interpolation)
        for key in results.get('seg_fields', []):
            results[key] = pil_resize(results[key], size, 'nearest')
        results['img_shape'] = size
        results['scale_factor'] = (size[1] / width, size[0] / height)
        return results

    def __repr__(self):
        return f'{type(self).__name__}(scale={self.scale}, interpolation={self.interpolation!r})'
