"""Saliency masks read from 0/255 PNG files (the MaskContrast authors' released masks)."""
import os.path as osp

import numpy as np
import torch
from PIL import Image

from useg.pseudo_labels import BasePseudoLabeler
from useg.registry import PSEUDO_LABELERS
from useg.utils import IGNORE_INDEX

from .saliency_postprocess import postprocess_saliency


def read_binary_saliency(path):
    """``(H, W)`` uint8 0/1 mask from a single-channel PNG holding exactly the values 0 and 255.

    Any other encoding (0/1, soft probabilities, palette or RGB images) is rejected: the reference
    loader would silently turn it into an all-background mask.
    """
    with Image.open(path) as image:
        mode = image.mode
        values = np.asarray(image)
    if mode != 'L' or values.ndim != 2:
        raise ValueError(f'saliency file {path} must be a single-channel 8-bit (mode L) PNG; got '
                         f'mode {mode} with shape {values.shape}')
    unexpected = np.setdiff1d(np.unique(values), (0, 255))
    if unexpected.size:
        raise ValueError(f'saliency file {path} must hold only 0 (background) and 255 (salient); '
                         f'found {unexpected[:8].tolist()}. Scale 0/1 masks by 255 and threshold '
                         'probability maps before saving.')
    return (values == 255).astype(np.uint8)


@PSEUDO_LABELERS.register_module()
class SaliencyFromFiles(BasePseudoLabeler):
    """Binary saliency masks from ``<saliency_dir>/<image stem><suffix>`` files.

    Each file must be 0/255 (see :func:`read_binary_saliency`); the authors' post-processing
    (threshold 0.5, erase contours under 1% of the image, drop masks under 1%) is applied when
    ``postprocess`` is True. A dropped image, or one without a file, becomes an all-ignore (255) map,
    which MaskContrast's view sampling rejects, as the reference skips those images.

    Args:
        saliency_dir: folder of the PNGs (e.g. ``saliency_supervised_model``).
        suffix: file suffix replacing the image's extension.
        postprocess: apply :func:`postprocess_saliency`.
    """

    requires_features = False
    requires_paths = True

    def __init__(self, saliency_dir, suffix='.png', postprocess=True):
        super().__init__()
        self.saliency_dir = saliency_dir
        self.suffix = suffix
        self.postprocess = postprocess

    def saliency_path(self, img_path):
        stem = osp.splitext(osp.basename(img_path))[0]
        return osp.join(self.saliency_dir, stem + self.suffix)

    def load(self, img_path):
        """``(H, W)`` uint8 map for one image: 0/1, or all 255 when dropped; None without a file."""
        path = self.saliency_path(img_path)
        if not osp.isfile(path):
            return None
        mask = read_binary_saliency(path)
        if self.postprocess:
            processed = postprocess_saliency(mask.astype(np.float32))
            mask = np.full_like(mask, IGNORE_INDEX) if processed is None else processed
        return mask

    def forward(self, feats, images, img_paths=None):
        """``images (B, H, W, 3)`` + their ``img_paths`` -> ``(B, H, W)`` uint8 maps (255 = ignore)."""
        if img_paths is None:
            raise ValueError('SaliencyFromFiles reads files: pass the images\' img_paths')
        maps = []
        for image, img_path in zip(images, img_paths):
            mask = self.load(img_path)
            if mask is None:
                mask = np.full(image.shape[:2], IGNORE_INDEX, np.uint8)
            if mask.shape != tuple(image.shape[:2]):
                raise ValueError(f'saliency {self.saliency_path(img_path)} is {mask.shape}, its image '
                                 f'{tuple(image.shape[:2])}')
            maps.append(torch.from_numpy(mask))
        return torch.stack(maps)
