"""Packing of MaskContrast's paired views into model inputs and data samples."""
import numpy as np
import torch
from mmengine.structures import PixelData

from useg.pseudo_labels import PackUnsupervisedSegInputs
from useg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackMaskContrastInputs(PackUnsupervisedSegInputs):
    """``PackUnsupervisedSegInputs`` + the key view: ``data_sample.key_img`` (``(3, H, W)`` uint8
    BGR, normalised by the model like ``inputs``) and ``data_sample.key_pseudo_sem_seg``."""

    def transform(self, results):
        packed = super().transform(results)
        sample = packed['data_samples']
        if 'key_img' in results:
            key = np.ascontiguousarray(results['key_img'].transpose(2, 0, 1))
            sample.key_img = PixelData(data=torch.from_numpy(key))
            key_mask = np.asarray(results['key_pseudo_seg_map']).astype(np.int64)
            sample.key_pseudo_sem_seg = PixelData(data=torch.from_numpy(key_mask)[None])
        return packed
