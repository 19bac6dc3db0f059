"""Depth-guided farthest point sampling of feature locations (back-projection, FPS, coordinates)."""
import math

import torch
import torch.nn.functional as F

FOV_UNITS = ('degree', 'radian')
COORD_MODES = ('centered', 'reference')


def _focal_factor(fov, fov_unit):
    """``2 * tan(fov / 2)``, with ``fov`` in degrees or (as the reference passes it) in radians."""
    if fov_unit not in FOV_UNITS:
        raise ValueError(f'fov_unit must be one of {FOV_UNITS}, got {fov_unit!r}')
    angle = math.radians(fov) if fov_unit == 'degree' else fov
    return 2 * math.tan(angle / 2)


def _points(depth, factor, far):
    """Batched back-projection: ``depth (B, h, w)`` float32 -> ``(B, h*w, 3)`` row-major."""
    batch, height, width = depth.shape
    factor = torch.tensor(factor, dtype=torch.float32, device=depth.device)
    rows = torch.arange(height, dtype=torch.float32, device=depth.device).view(1, height, 1)
    cols = torch.arange(width, dtype=torch.float32, device=depth.device).view(1, 1, width)
    scaled = factor * depth
    x = (scaled * (cols - width / 2)) / width
    y = (scaled * (rows - height / 2)) / height
    z = -depth * far
    return torch.stack((x, y, z), dim=-1).reshape(batch, height * width, 3)


def depth_to_points(depth, fov=90.0, far=5.0, fov_unit='degree'):
    """Back-project a depth grid ``(h, w)`` to a float32 point cloud ``(h*w, 3)`` in row-major order.

    With ``F = 2 tan(fov / 2)``: ``X = F d (c - w/2) / w``, ``Y = F d (r - h/2) / h``, ``Z = -d far``.
    ``fov_unit='radian'`` reads ``fov`` as radians (the reference's ``tan(45 rad)``).
    """
    if depth.dim() != 2:
        raise ValueError(f'depth must be (h, w), got {tuple(depth.shape)}')
    return _points(depth.float()[None], _focal_factor(fov, fov_unit), far)[0]


def _batched_farthest_points(points, num_samples):
    """FPS of ``points (B, N, 3)`` -> ``(B, num_samples)`` indices in pick order (see below)."""
    batch, count, _ = points.shape
    if num_samples > count:
        raise ValueError(f'cannot pick {num_samples} distinct points out of {count}')
    points = points.float()
    running = torch.full((batch, count), math.inf, dtype=torch.float64, device=points.device)
    picked = torch.zeros((batch, count), dtype=torch.bool, device=points.device)
    indices = torch.zeros((batch, num_samples), dtype=torch.long, device=points.device)
    rows = torch.arange(batch, device=points.device)
    last = torch.zeros(batch, dtype=torch.long, device=points.device)
    for step in range(num_samples):
        indices[:, step] = last
        picked[rows, last] = True
        if step + 1 == num_samples:
            break
        delta = points - points[rows, last][:, None]
        squared = (delta[..., 0] * delta[..., 0] + delta[..., 1] * delta[..., 1]
                   + delta[..., 2] * delta[..., 2])
        running = torch.minimum(running, squared.double())
        last = running.masked_fill(picked, -math.inf).argmax(dim=1)
    return indices


def farthest_point_indices(points, num_samples):
    """Farthest point sampling of ``points (N, 3)`` -> LongTensor ``(num_samples,)`` in pick order.

    The first pick is index 0; the running nearest-pick distance starts at +inf in float64 and takes
    the minimum with float32 squared distances from the last pick; the next pick is the largest
    running distance among unpicked points, ties to the lowest index.
    """
    if points.dim() != 2 or points.shape[1] != 3:
        raise ValueError(f'points must be (N, 3), got {tuple(points.shape)}')
    return _batched_farthest_points(points[None], int(num_samples))[0]


def depth_guided_coords(depth, grid_size, num_samples, fov=90.0, far=5.0, fov_unit='degree',
                        coords='centered', return_indices=False):
    """Sample locations ``(B, S, S, 2)`` in [-1, 1] chosen by FPS on the back-projected depth.

    Per image: ``adaptive_avg_pool2d`` of ``depth (B, 1, H, W)`` to ``grid_size = (h, w)``,
    :func:`depth_to_points`, ``S*S`` FPS picks, re-sorted into raster order. ``coords='reference'``
    gives ``(2r/h - 1, 2c/w - 1)`` (row first, the reference's layout); ``'centered'`` gives
    ``(x, y) = (2c/(w-1) - 1, 2r/(h-1) - 1)`` (0 on a side of length 1), read exactly by
    ``useg_stego.sample_locations``. ``return_indices`` also returns the flat indices ``(B, S*S)``.
    """
    if coords not in COORD_MODES:
        raise ValueError(f'coords must be one of {COORD_MODES}, got {coords!r}')
    if depth.dim() != 4 or depth.shape[1] != 1:
        raise ValueError(f'depth must be (B, 1, H, W), got {tuple(depth.shape)}')
    height, width = (int(size) for size in grid_size)
    samples = int(num_samples)
    pooled = F.adaptive_avg_pool2d(depth.float(), (height, width))[:, 0]
    points = _points(pooled, _focal_factor(fov, fov_unit), far)
    indices = _batched_farthest_points(points, samples * samples).sort(dim=1).values
    rows = torch.div(indices, width, rounding_mode='floor').float()
    cols = (indices % width).float()
    if coords == 'reference':
        grid = torch.stack((rows / height * 2 - 1, cols / width * 2 - 1), dim=-1)
    else:
        x = cols / (width - 1) * 2 - 1 if width > 1 else torch.zeros_like(cols)
        y = rows / (height - 1) * 2 - 1 if height > 1 else torch.zeros_like(rows)
        grid = torch.stack((x, y), dim=-1)
    grid = grid.view(depth.shape[0], samples, samples, 2)
    return (grid, indices) if return_indices else grid
