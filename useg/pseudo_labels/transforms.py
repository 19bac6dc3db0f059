"""Pipeline steps that bring cached pseudo labels into training samples."""
import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmengine.structures import PixelData
from mmseg.datasets.transforms import PackSegInputs
from PIL import Image

from useg.registry import TRANSFORMS

from .cache import PseudoLabelCache


@TRANSFORMS.register_module()
class LoadPseudoLabel(BaseTransform):
    """Load the cached map of ``results['img_path']`` as ``pseudo_seg_map`` (a seg field).

    The map is resized with PIL nearest to the current image size when the sizes differ, so that
    later geometric transforms (crop, flip, resize) move it together with the image.
    ``cache_dir`` is filled in by ``tools/train.py`` from the config's ``pseudo_labels`` settings.
    """

    def __init__(self, cache_dir=None, data_root=None):
        self.cache_dir = cache_dir
        self.data_root = data_root

    def transform(self, results):
        if self.cache_dir is None:
            raise RuntimeError('LoadPseudoLabel has no cache_dir: train through tools/train.py, '
                               'which resolves the pseudo-label cache of the config')
        label = PseudoLabelCache(self.cache_dir, self.data_root).load(results['img_path'])
        height, width = results['img'].shape[:2]
        if label.shape != (height, width):
            label = np.asarray(Image.fromarray(label).resize((width, height), Image.NEAREST))
        results['pseudo_seg_map'] = label
        results.setdefault('seg_fields', [])
        if 'pseudo_seg_map' not in results['seg_fields']:
            results['seg_fields'].append('pseudo_seg_map')
        return results


@TRANSFORMS.register_module()
class PackUnsupervisedSegInputs(PackSegInputs):
    """mmseg's ``PackSegInputs`` that also packs ``pseudo_seg_map`` as ``data_sample.pseudo_sem_seg``."""

    def transform(self, results):
        packed = super().transform(results)
        if 'pseudo_seg_map' in results:
            label = torch.from_numpy(np.ascontiguousarray(results['pseudo_seg_map']).astype(np.int64))
            packed['data_samples'].pseudo_sem_seg = PixelData(data=label[None])
        return packed
