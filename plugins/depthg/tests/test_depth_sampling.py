import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from useg_depthg import depth_guided_coords, depth_to_points, farthest_point_indices
from useg_stego import sample_locations


def numpy_fps(points, count):
    """Per-point loop FPS (float64 running minimum, float32 squared distances, lowest-index ties)."""
    points = np.asarray(points, dtype=np.float32)
    running = np.full(len(points), np.inf, dtype=np.float64)
    picks = [0]
    for _ in range(count - 1):
        delta = points - points[picks[-1]]
        squared = (delta[:, 0] * delta[:, 0] + delta[:, 1] * delta[:, 1]) + delta[:, 2] * delta[:, 2]
        running = np.minimum(running, squared.astype(np.float64))
        masked = running.copy()
        masked[picks] = -np.inf
        picks.append(int(np.argmax(masked)))
    return picks


def test_depth_to_points_formula_order_and_units():
    depth = torch.rand(3, 4)
    points = depth_to_points(depth, fov=90.0, far=5.0, fov_unit='degree')
    assert points.shape == (12, 3) and points.dtype == torch.float32
    r, c = 2, 3
    d = depth[r, c]
    factor = torch.tensor(2 * math.tan(math.radians(90) / 2), dtype=torch.float32)
    assert float(factor) == 2.0
    expected = torch.stack(((factor * d) * (c - 4 / 2) / 4, (factor * d) * (r - 3 / 2) / 3, -d * 5.0))
    assert torch.equal(points[r * 4 + c], expected)
    radian = depth_to_points(depth, fov_unit='radian')
    ratio = radian[:, 0] / points[:, 0].where(points[:, 0] != 0, torch.ones(()))
    nonzero = points[:, 0] != 0
    assert torch.allclose(ratio[nonzero], torch.tensor(math.tan(45.0) / 1.0), rtol=1e-5)
    assert torch.equal(radian[:, 2], points[:, 2])
    with pytest.raises(ValueError):
        depth_to_points(depth, fov_unit='grad')


def test_farthest_point_indices_matches_loop_and_rules():
    torch.manual_seed(0)
    points = torch.rand(40, 3)
    picks = farthest_point_indices(points, 12)
    assert picks.dtype == torch.long and picks.tolist() == numpy_fps(points.numpy(), 12)
    assert picks[0] == 0 and len(set(picks.tolist())) == 12
    same = torch.zeros(10, 3)
    assert farthest_point_indices(same, 6).tolist() == list(range(6))
    # ties go to the lowest index: two points equally far from the first pick
    line = torch.tensor([[0.0, 0, 0], [1.0, 0, 0], [-1.0, 0, 0], [0.5, 0, 0]])
    assert farthest_point_indices(line, 2).tolist() == [0, 1]
    with pytest.raises(ValueError):
        farthest_point_indices(points, 41)


def test_depth_guided_coords_pipeline_and_layouts():
    torch.manual_seed(1)
    depth = torch.rand(2, 1, 24, 20)
    grid, indices = depth_guided_coords(depth, (6, 5), 3, fov_unit='radian', coords='reference',
                                        return_indices=True)
    assert grid.shape == (2, 3, 3, 2) and indices.shape == (2, 9)
    pooled = F.adaptive_avg_pool2d(depth, (6, 5))
    for b in range(2):
        points = depth_to_points(pooled[b, 0], fov_unit='radian')
        expected = sorted(numpy_fps(points.numpy(), 9))
        assert indices[b].tolist() == expected
        rows = torch.tensor(expected) // 5
        cols = torch.tensor(expected) % 5
        ref = torch.stack((rows.float() / 6 * 2 - 1, cols.float() / 5 * 2 - 1), -1).view(3, 3, 2)
        assert torch.equal(grid[b], ref)
    centered = depth_guided_coords(depth, (6, 5), 3, fov_unit='radian')
    # the centred layout reads exactly the chosen tokens through STEGO's sampler
    feats = torch.randn(2, 4, 6, 5)
    sampled = sample_locations(feats, centered)  # (B, C, S, S), output [i, j] reads coords [j, i]
    flat = feats.flatten(2)
    for b in range(2):
        chosen = flat[b][:, indices[b]].view(4, 3, 3).transpose(1, 2)
        assert torch.allclose(sampled[b], chosen, atol=1e-5)
    single = depth_guided_coords(depth, (1, 4), 2)
    assert torch.equal(single[..., 1], torch.zeros(2, 2, 2))
