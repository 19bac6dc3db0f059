"""Depth predictions to 8-bit maps (0 = nearest, 255 = farthest)."""
import numpy as np
import torch

KINDS = ('depth', 'disparity')


def depth_to_uint8(prediction, kind='depth'):
    """Min-max a float map ``(H, W)`` to uint8 ``(H, W)`` in float32, truncating ``x * 255``.

    ``kind='disparity'`` (inverse depth) flips it (``1 - x``) so 0 is always the nearest pixel.
    A constant map gives zeros. Returns a numpy array (a tensor input is read on the CPU).
    """
    if kind not in KINDS:
        raise ValueError(f'kind must be one of {KINDS}, got {kind!r}')
    if isinstance(prediction, torch.Tensor):
        prediction = prediction.detach().cpu().numpy()
    values = np.asarray(prediction, dtype=np.float32)
    if values.ndim != 2:
        raise ValueError(f'prediction must be (H, W), got {values.shape}')
    low, high = values.min(), values.max()
    span = high - low
    x = (values - low) / span if span > 0 else np.zeros_like(values)
    if kind == 'disparity':
        x = np.float32(1) - x if span > 0 else x
    return (x * np.float32(255)).astype(np.uint8)
