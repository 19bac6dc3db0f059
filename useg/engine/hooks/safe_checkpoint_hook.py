"""Checkpoints that load with ``torch.load(weights_only=True)``, so ``--resume`` works safely.

mmengine stores the message hub's ``HistoryBuffer`` objects (numpy arrays inside) in every
checkpoint; unpickling them needs numpy reconstructors and ``getattr``, which torch >= 2.6 refuses
by default, and allowing them would let a checkpoint run code. This hook stores the buffers as
plain tensors and lists before saving and rebuilds them right after loading.
"""
import numpy as np
import torch
from mmengine.hooks import Hook
from mmengine.logging import HistoryBuffer

from useg.registry import HOOKS

PLAIN_BUFFER_TAG = '__useg_history_buffer__'


def to_plain(value):
    """Replace HistoryBuffers, numpy arrays and numpy scalars by tensors / Python values."""
    if isinstance(value, HistoryBuffer):
        logs, counts = value.data
        return {PLAIN_BUFFER_TAG: True, 'logs': torch.from_numpy(np.asarray(logs, dtype=np.float64)),
                'counts': torch.from_numpy(np.asarray(counts, dtype=np.float64)),
                'max_length': int(value.max_length)}
    if isinstance(value, np.ndarray):
        return torch.from_numpy(value)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return type(value)((key, to_plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return type(value)(to_plain(item) for item in value)
    return value


def from_plain(value):
    """Inverse of :func:`to_plain` for HistoryBuffers (other values stay plain)."""
    if isinstance(value, dict):
        if value.get(PLAIN_BUFFER_TAG):
            return HistoryBuffer(value['logs'].tolist(), value['counts'].tolist(),
                                 max_length=value['max_length'])
        return type(value)((key, from_plain(item)) for key, item in value.items())
    return value


@HOOKS.register_module()
class SafeCheckpointHook(Hook):
    """Makes the saved message hub and meta plain data and restores them on load."""

    priority = 'VERY_LOW'

    def before_save_checkpoint(self, runner, checkpoint):
        for key in ('message_hub', 'meta'):
            if key in checkpoint:
                checkpoint[key] = to_plain(checkpoint[key])

    def after_load_checkpoint(self, runner, checkpoint):
        if 'message_hub' in checkpoint:
            checkpoint['message_hub'] = from_plain(checkpoint['message_hub'])
