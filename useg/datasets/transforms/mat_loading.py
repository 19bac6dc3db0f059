"""Loading images and labels stored in MATLAB ``.mat`` files (the STEGO/IIC Potsdam format)."""
import numpy as np
from mmcv.transforms import BaseTransform
from scipy.io import loadmat

from useg.registry import TRANSFORMS
from .loading import LoadCheckedAnnotations


def read_mat_array(path, key):
    """The array stored under ``key`` in the ``.mat`` file ``path`` (errors name both)."""
    try:
        content = loadmat(path)
    except Exception as error:
        raise OSError(f'cannot read .mat file {path}: {error}') from error
    if key not in content:
        found = sorted(name for name in content if not name.startswith('__'))
        raise KeyError(f'{path} has no array {key!r} (found {found})')
    return content[key]


def as_uint8(array, path):
    """``array`` as uint8; ``ValueError`` naming ``path`` if its values do not fit."""
    if array.dtype == np.uint8:
        return array
    if array.size and (array.min() < 0 or array.max() > 255 or
                       not np.array_equal(array, np.round(array))):
        raise ValueError(f'{path}: values must be integers in [0, 255], got dtype {array.dtype} '
                         f'with range [{array.min()}, {array.max()}]')
    return array.astype(np.uint8)


@TRANSFORMS.register_module()
class LoadMatImageFromFile(BaseTransform):
    """Load ``results['img_path']`` (a ``.mat`` holding ``(H, W, >=3)`` RGB[+IR] under ``key``)
    as ``img`` ``(H, W, 3)`` uint8 **BGR** (the order ``LoadImageFromFile`` gives); extra
    channels such as infrared are dropped. Sets ``img_shape`` and ``ori_shape``."""

    def __init__(self, key='img'):
        self.key = key

    def transform(self, results):
        path = results['img_path']
        image = read_mat_array(path, self.key)
        if image.ndim != 3 or image.shape[2] < 3:
            raise ValueError(f'{path}: {self.key!r} must be (H, W, >=3), got {image.shape}')
        image = np.ascontiguousarray(as_uint8(image[:, :, 2::-1], path))
        results['img'] = image
        results['img_shape'] = image.shape[:2]
        results['ori_shape'] = image.shape[:2]
        return results


@TRANSFORMS.register_module()
class LoadMatAnnotations(LoadCheckedAnnotations):
    """``LoadCheckedAnnotations`` for labels stored as a ``(H, W)`` array under ``key`` of a ``.mat``
    file (``results['seg_map_path']``); ``label_map`` and the checks apply as usual."""

    def __init__(self, key='gt', **kwargs):
        super().__init__(**kwargs)
        self.key = key

    def _read_seg_map(self, results):
        path = results['seg_map_path']
        seg_map = np.squeeze(read_mat_array(path, self.key))
        if seg_map.ndim != 2:
            raise ValueError(f'{path}: {self.key!r} must be (H, W), got {seg_map.shape}')
        results['gt_seg_map'] = as_uint8(seg_map, path)
        results['seg_fields'].append('gt_seg_map')
