"""Position-embedding resizing against an independent bicubic computation."""
import math

import numpy as np
import pytest
import torch
from timm.layers import resample_abs_pos_embed

import useg  # noqa: F401
from useg.models.backbones import PositionInterpolation, interpolate_patch_position_embedding

DINO = PositionInterpolation(offset=0.1, antialias=False)
REGISTERS = PositionInterpolation(offset=0.0, antialias=True)


def cubic_weight(distance, a=-0.75):
    """Keys' cubic convolution kernel (the one PyTorch's bicubic uses, a = -0.75)."""
    distance = abs(distance)
    if distance <= 1:
        return (a + 2) * distance ** 3 - (a + 3) * distance ** 2 + 1
    if distance < 2:
        return a * distance ** 3 - 5 * a * distance ** 2 + 8 * a * distance - 4 * a
    return 0.0


def resize_axis(values, new_length, scale):
    """Resize axis 0 of ``values``: output i samples input coordinate (i + 0.5) / scale - 0.5,
    four taps, indices clamped to the border."""
    old_length = values.shape[0]
    out = np.zeros((new_length, ) + values.shape[1:])
    for index in range(new_length):
        source = (index + 0.5) / scale - 0.5
        base = math.floor(source)
        fraction = source - base
        for tap in range(-1, 3):
            neighbour = min(max(base + tap, 0), old_length - 1)
            out[index] += cubic_weight(fraction - tap) * values[neighbour]
    return out


def dino_resize(grid, new_h, new_w, offset=0.1):
    """(gh, gw, C) -> (new_h, new_w, C) with DINO's scale factors (n_new + offset) / n_old."""
    rows = resize_axis(grid, new_h, (new_h + offset) / grid.shape[0])
    return resize_axis(rows.transpose(1, 0, 2), new_w, (new_w + offset) / grid.shape[1]
                       ).transpose(1, 0, 2)


@pytest.mark.parametrize('old,new', [(28, (40, 40)), (37, (23, 23)), (28, (20, 35))])
def test_dino_interpolation_matches_independent_bicubic(old, new):
    generator = torch.Generator().manual_seed(0)
    grid = torch.randn(old, old, 5, generator=generator, dtype=torch.float64)
    ours = interpolate_patch_position_embedding(grid.reshape(1, old * old, 5).float(),
                                                (old, old), new, DINO)
    expected = dino_resize(grid.numpy(), *new)
    assert ours.shape == (1, new[0] * new[1], 5)
    np.testing.assert_allclose(ours.reshape(*new, 5).numpy(), expected, atol=2e-5)


def test_dino_interpolation_differs_from_exact_size_resampling():
    """The pitfall: timm's resampling to the exact size is not what DINO computed."""
    pos = torch.randn(1, 28 * 28, 8, generator=torch.Generator().manual_seed(0))
    ours = interpolate_patch_position_embedding(pos, (28, 28), (40, 40), DINO)
    timm_default = resample_abs_pos_embed(pos, new_size=(40, 40), old_size=(28, 28),
                                          num_prefix_tokens=0)
    assert (ours - timm_default).abs().max() > 1e-2
    np.testing.assert_allclose(ours.reshape(40, 40, 8).numpy(),
                               dino_resize(pos.reshape(28, 28, 8).double().numpy(), 40, 40),
                               atol=2e-5)


def test_register_models_use_exact_size_antialiased_resampling():
    pos = torch.randn(1, 37 * 37, 8, generator=torch.Generator().manual_seed(0))
    ours = interpolate_patch_position_embedding(pos, (37, 37), (23, 23), REGISTERS)
    timm_default = resample_abs_pos_embed(pos, new_size=(23, 23), old_size=(37, 37),
                                          num_prefix_tokens=0)
    torch.testing.assert_close(ours, timm_default)


def test_native_grid_is_returned_unchanged_and_dtype_is_kept():
    pos = torch.randn(1, 16, 4)
    assert interpolate_patch_position_embedding(pos, (4, 4), (4, 4), DINO) is pos
    half = interpolate_patch_position_embedding(pos.half(), (4, 4), (6, 6), DINO)
    assert half.dtype == torch.float16 and half.shape == (1, 36, 4)
