import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F

from useg.compat import mmcv_ops


def test_point_sample_matches_hand_computed_bilinear():
    image = torch.arange(16, dtype=torch.float32).reshape(1, 1, 4, 4)
    # (x, y) in [0, 1], align_corners=False: pixel centres at (i + 0.5) / 4.
    points = torch.tensor([[[0.125, 0.125], [0.375, 0.125], [0.25, 0.125], [0.25, 0.375]]])
    out = mmcv_ops.point_sample(image, points)
    assert out.shape == (1, 1, 4)
    torch.testing.assert_close(out[0, 0], torch.tensor([0.0, 1.0, 0.5, 4.5]))


def test_point_sample_grid_points_keep_their_shape():
    image = torch.randn(2, 3, 5, 7)
    points = torch.rand(2, 4, 6, 2)
    out = mmcv_ops.point_sample(image, points, align_corners=True)
    assert out.shape == (2, 3, 4, 6)
    torch.testing.assert_close(out, F.grid_sample(image, 2 * points - 1, align_corners=True))


def test_installed_stand_in_serves_mmseg():
    import mmcv.ops
    import mmseg.apis  # noqa: F401
    import mmseg.datasets  # noqa: F401
    import mmseg.models  # noqa: F401
    import mmseg.visualization  # noqa: F401
    from mmseg.models.utils import point_sample  # noqa: F401
    assert mmcv.ops.__useg_fallback__
    assert mmcv.ops.point_sample is mmcv_ops.point_sample
    with pytest.raises(RuntimeError, match='compiled mmcv'):
        mmcv.ops.sigmoid_focal_loss(torch.zeros(1), torch.zeros(1))
    with pytest.raises(ModuleNotFoundError, match='CrissCrossAttention'):
        from mmcv.ops import CrissCrossAttention  # noqa: F401


def test_compiled_mmcv_is_left_alone():
    # A fresh interpreter where a compiled extension is importable: the stand-in must not replace it.
    code = '''
import importlib.machinery, sys, types
ext = types.ModuleType('mmcv._ext'); ext.__spec__ = importlib.machinery.ModuleSpec('mmcv._ext', None)
real_ops = types.ModuleType('mmcv.ops')
import mmcv
sys.modules['mmcv._ext'] = ext
from useg.compat.mmcv_ops import compiled_mmcv_available, install_mmcv_ops_fallback
assert compiled_mmcv_available()
assert install_mmcv_ops_fallback() is False
assert 'mmcv.ops' not in sys.modules or not getattr(sys.modules['mmcv.ops'], '__useg_fallback__', False)
print('left alone')
'''
    result = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert 'left alone' in result.stdout
