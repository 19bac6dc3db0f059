"""A pure-PyTorch stand-in for the few ``mmcv.ops`` names mmsegmentation imports at import time.

mmcv-lite ships ``mmcv/ops/*.py`` without the compiled ``mmcv._ext``, so ``import mmcv.ops`` fails
and with it ``mmseg.models``, ``mmseg.datasets``, ``mmseg.apis`` and ``mmseg.visualization``. When
(and only when) the compiled extension is missing, :func:`install_mmcv_ops_fallback` registers a
small module as ``mmcv.ops`` providing ``point_sample`` (exact) and ``sigmoid_focal_loss`` (raises a
clear error when called). Any other name raises ``ModuleNotFoundError`` on import, which is what
mmseg's guarded imports (``CrissCrossAttention``, ``PSAMask``, ``DeformConv2d``) expect.
"""
import importlib.util
import sys
import types
import warnings

import torch.nn.functional as F

FALLBACK_MODULE_NAME = 'mmcv.ops'
# mmcv.cnn warns on import that mmcv-lite has no MultiScaleDeformableAttention: expected here.
DEFORMABLE_ATTENTION_WARNING = 'Fail to import ``MultiScaleDeformableAttention``'
_MISSING = ('needs the compiled mmcv extension (mmcv._ext), which mmcv-lite does not ship; '
            'install a full mmcv build to use it')


def point_sample(input, points, align_corners=False, **kwargs):
    """Sample ``input (N, C, H, W)`` at ``points (N, P, 2)`` or ``(N, Hp, Wp, 2)`` in [0, 1] (x, y).

    Returns ``(N, C, P)`` or ``(N, C, Hp, Wp)``; bilinear ``grid_sample`` like mmcv's.
    """
    add_dim = points.dim() == 3
    if add_dim:
        points = points.unsqueeze(2)
    output = F.grid_sample(input, 2.0 * points - 1.0, align_corners=align_corners, **kwargs)
    return output.squeeze(3) if add_dim else output


def sigmoid_focal_loss(*args, **kwargs):
    """Placeholder for mmcv's CUDA focal loss: importable, raises when called."""
    raise RuntimeError(f'mmcv.ops.sigmoid_focal_loss {_MISSING}.')


def _missing_attribute(name):
    # mmseg guards its optional imports with ``except ModuleNotFoundError``; dunder lookups by
    # tooling (``__file__``, ``__path__``) must stay AttributeErrors.
    if name.startswith('__'):
        raise AttributeError(name)
    raise ModuleNotFoundError(f'mmcv.ops.{name} {_MISSING} (useg provides only point_sample).',
                              name=f'mmcv.ops.{name}')


def compiled_mmcv_available():
    """True when mmcv's compiled extension can be imported."""
    try:
        return importlib.util.find_spec('mmcv._ext') is not None
    except (ImportError, ValueError):
        return False


def install_mmcv_ops_fallback():
    """Register the stand-in as ``mmcv.ops`` unless compiled mmcv ops exist; True if installed."""
    existing = sys.modules.get(FALLBACK_MODULE_NAME)
    if existing is not None or compiled_mmcv_available():
        return bool(getattr(existing, '__useg_fallback__', False))
    import mmcv
    module = types.ModuleType(FALLBACK_MODULE_NAME, __doc__)
    module.__useg_fallback__ = True
    module.point_sample = point_sample
    module.sigmoid_focal_loss = sigmoid_focal_loss
    module.__getattr__ = _missing_attribute
    sys.modules[FALLBACK_MODULE_NAME] = module
    mmcv.ops = module
    warnings.filterwarnings('ignore', message=DEFORMABLE_ATTENTION_WARNING, category=UserWarning)
    return True
