"""Permutohedral-lattice Gaussian filtering in PyTorch (Adams et al. 2010), batched, CPU or CUDA.

It reproduces the lattice of Krähenbühl's ``densecrf`` (``permutohedral.cpp``, the SSE build
pydensecrf uses): the same elevation, round-half-to-even remainder, rank ordering and barycentric
weights in float32, the same ``[1/2, 1, 1/2]`` blur along each of the ``d + 1`` lattice axes and
the same ``alpha`` scaling when slicing. So the filter is pydensecrf's approximate Gaussian (not
an exact one) up to float summation order.
"""
import math

import torch

from .sparse_rows import SparseRows

MAX_PACKED_KEY = 2 ** 62
# blur axes multiplied into one sparse pass (fewer passes over the lattice, a few more entries)
BLUR_GROUP = 3


class LatticeKeyOverflow(ValueError):
    """The lattice keys of this many images do not pack into 64 bits: split the batch."""


class PermutohedralLattice:
    """Lattice of ``features (B, N, d)`` (already divided by the standard deviations).

    ``lattice.filter(values (B, N, V))`` -> ``(B, N, V)``: for every point the
    Gaussian-weighted sum of the values of the points of the same image, approximated on the
    lattice exactly as ``densecrf`` does (self weight included, no normalisation).
    """

    def __init__(self, features):
        if features.dim() != 3:
            raise ValueError(f'features must be (B, N, d), got {tuple(features.shape)}')
        features = features.float()
        batch, points, dim = features.shape
        self.shape = (batch, points)
        self.dim = dim
        elevated = self._elevate(features.reshape(-1, dim))
        corner, rank, self.weights = self._simplex(elevated)  # (P, d) long, (P, d + 1) long, float
        self.alpha = 1.0 / (1.0 + 2.0 ** -dim)
        # vertex r of the simplex: corner + canonical[r][rank], canonical entries in [-d, d]
        base = int(corner.min()) - 2 * dim
        span = int(corner.max()) + 2 * dim + 1 - base
        if span ** dim * batch >= MAX_PACKED_KEY:
            raise LatticeKeyOverflow(f'lattice keys of range {span} in {dim} dimensions do not pack into '
                             f'64 bits for {batch} images; filter fewer images at once')
        strides = span ** torch.arange(dim, device=features.device)
        image = torch.arange(batch, device=features.device).repeat_interleave(points)
        packed = self._vertex_keys(corner - base, rank, strides) + (image * span ** dim)[:, None]
        self._build_operators(packed.flatten(), strides, batch * points)

    def _build_operators(self, packed, strides, num_points):
        """Splat, blur and slice as :class:`SparseRows`, vertices numbered by first touch.

        Numbering the vertices in the order the points first reach them (points in row-major
        pixel order) keeps the rows every operator gathers close together in memory.
        """
        dim, device = self.dim, packed.device
        sorted_keys, order = packed.sort(stable=True)  # entries grouped by vertex, in point order
        starts_mask = torch.ones_like(sorted_keys, dtype=torch.bool)
        starts_mask[1:] = sorted_keys[1:] != sorted_keys[:-1]
        starts = starts_mask.nonzero().squeeze(1)  # (M,) first entry of every vertex (key order)
        vertices = sorted_keys[starts]
        self.num_vertices = num_vertices = len(vertices)
        lengths = torch.diff(starts, append=starts.new_tensor([len(packed)]))
        by_touch = order[starts].argsort()  # key-order vertex of touch-order vertex t
        touch_id = torch.empty_like(by_touch)
        touch_id[by_touch] = torch.arange(num_vertices, device=device)
        key_id = torch.empty_like(order)
        key_id[order] = starts_mask.cumsum(0) - 1
        # slice: point p reads its d + 1 vertices, weight b * alpha
        self.slice = SparseRows(touch_id[key_id], torch.arange(
            0, len(packed) + 1, dim + 1, device=device), self.weights.flatten() * self.alpha,
            num_vertices)
        # splat: vertex t sums its entries (points in increasing order), weight b
        counts = lengths[by_touch]
        offsets = torch.cat([counts.new_zeros(1), counts.cumsum(0)])
        within = torch.arange(len(packed), device=device) - offsets[:-1].repeat_interleave(counts)
        entries = order[starts[by_touch].repeat_interleave(counts) + within]
        self.splat = SparseRows(torch.div(entries, dim + 1, rounding_mode='floor'), offsets,
                                self.weights.flatten()[entries], num_points)
        # blur along every lattice axis: x + (x[lower] + x[upper]) / 2, missing neighbours 0;
        # neighbours searched in key order (sorted queries), then renumbered in touch order
        ones = int(strides.sum())
        neighbours = []
        for axis in range(dim + 1):
            step = ones - (dim + 1) * int(strides[axis]) if axis < dim else ones
            position = torch.searchsorted(vertices, vertices + step).clamp(max=num_vertices - 1)
            found = vertices[position] == vertices + step  # upper neighbour of v is position[v]
            upper = torch.where(found, position, -1)
            lower = torch.full_like(upper, -1)
            lower[position[found]] = found.nonzero().squeeze(1)  # ... and so its lower one is v
            missing = touch_id.new_full((1,), -1)  # touch ids, index num_vertices = "missing"
            lower, upper = (torch.cat([touch_id, missing])[n][by_touch] for n in (lower, upper))
            neighbours.append(torch.cat([torch.stack([lower, upper]), missing.expand(2, 1)], 1))
        self.blurs = [self._blur_group(neighbours[start:start + BLUR_GROUP])
                      for start in range(0, dim + 1, BLUR_GROUP)]

    @staticmethod
    def _blur_group(neighbours):
        """The blurs along consecutive axes (``neighbours``: per axis ``(2, M + 1)`` lower and
        upper vertex, -1 = none) multiplied into one :class:`SparseRows` (the axes' blurs are
        applied first to last; a product row sums over every path of at most one step per axis)."""
        num_vertices = neighbours[0].shape[1] - 1
        columns = torch.arange(num_vertices, device=neighbours[0].device)[:, None]
        weights = torch.ones(columns.shape, device=columns.device)
        for lower_upper in reversed(neighbours):
            columns = torch.cat([columns, lower_upper[0][columns], lower_upper[1][columns]], 1)
            weights = torch.cat([weights, weights / 2, weights / 2], 1)
        present = columns >= 0
        keep = present.flatten().nonzero().squeeze(1)
        offsets = torch.cat([columns.new_zeros(1), present.sum(1).cumsum(0)])
        return SparseRows(columns.flatten()[keep], offsets, weights.flatten()[keep], num_vertices)

    @staticmethod
    def _elevate(features):
        """``(P, d)`` -> ``(P, d + 1)`` coordinates on the hyperplane (float32, reference order)."""
        dim = features.shape[1]
        inv_std = math.sqrt(2.0 / 3.0) * (dim + 1)
        inv_std = float(torch.tensor(inv_std, dtype=torch.float32))
        scale = [float(torch.tensor(1.0 / math.sqrt((i + 2) * (i + 1)) * inv_std,
                                    dtype=torch.float32)) for i in range(dim)]
        elevated = [None] * (dim + 1)
        total = torch.zeros_like(features[:, 0])
        for j in range(dim, 0, -1):
            scaled = features[:, j - 1] * scale[j - 1]
            elevated[j] = total - float(j) * scaled
            total = total + scaled
        elevated[0] = total
        return torch.stack(elevated, dim=1)

    def _simplex(self, elevated):
        """Enclosing simplex: vertex keys ``(P, d + 1, d)`` and barycentric weights ``(P, d + 1)``."""
        dim = self.dim
        down = float(torch.tensor(1.0 / (dim + 1), dtype=torch.float32))
        quotient = torch.round(elevated * down)  # SSE cvtps_epi32: round half to even
        remainder0 = quotient * float(dim + 1)
        total = quotient.sum(1, keepdim=True)
        delta = elevated - remainder0
        # for every pair i < j the smaller delta's rank goes up (delta_i < delta_j: i, else j)
        columns = delta.t().contiguous()
        counts = torch.zeros_like(columns)
        for i in range(dim + 1):
            for j in range(i + 1, dim + 1):
                smaller = columns[i] < columns[j]
                counts[i] += smaller
                counts[j] += ~smaller
        rank = counts.t() + total
        wrap = (rank < 0).to(elevated.dtype) * (dim + 1) - (rank >= dim + 1).to(elevated.dtype) * (dim + 1)
        rank = (rank + wrap).long()
        remainder0 = remainder0 + wrap
        weights = torch.zeros(len(elevated), dim + 2, dtype=elevated.dtype, device=elevated.device)
        part = (elevated - remainder0) * down
        for i in range(dim + 1):  # sequential, as the reference accumulates
            weights.scatter_add_(1, (dim - rank[:, i:i + 1]), part[:, i:i + 1])
            weights.scatter_add_(1, (dim - rank[:, i:i + 1] + 1), -part[:, i:i + 1])
        weights[:, 0] += 1 + weights[:, dim + 1]
        return remainder0[:, :dim].long(), rank, weights[:, :dim + 1]

    @staticmethod
    def _vertex_keys(corner, rank, strides):
        """Packed keys ``(P, d + 1)`` of the simplex vertices ``corner + canonical[r][rank]``,
        ``canonical[r][i] = r - (d + 1) [rank_i > d - r]``: the key of vertex r is
        ``key(corner) + r sum(strides) - (d + 1) sum_{i: rank_i >= d + 1 - r} strides_i``."""
        dim = corner.shape[1]
        corner_key = (corner * strides).sum(1, keepdim=True)
        stride_by_rank = torch.zeros_like(rank).scatter_(
            1, rank[:, :dim], strides.expand(len(rank), dim))  # coordinate d has no stride
        above = torch.cat([torch.zeros_like(rank[:, :1]),
                           stride_by_rank.flip(1).cumsum(1)[:, :dim]], 1)  # sum over rank >= d+1-r
        vertex = torch.arange(dim + 1, device=rank.device)
        return corner_key + vertex * int(strides.sum()) - (dim + 1) * above

    def filter(self, values):
        """``values (B, N, V)`` -> ``(B, N, V)`` lattice-filtered values."""
        return self.operator()(values)

    def operator(self, inner=None, outer=None):
        """The filter with point scales folded in: ``values (B, N, V)`` ->
        ``outer * filter(inner * values)`` (``inner``, ``outer``: ``(B, N)`` or ``None``)."""
        splat = self.splat if inner is None else self.splat.scaled(columns=inner.flatten())
        slice_ = self.slice if outer is None else self.slice.scaled(rows=outer.flatten())
        batch, points = self.shape

        def apply(values):
            if values.shape[:2] != (batch, points):
                raise ValueError(f'values must be (B, N, V) = ({batch}, {points}, V), '
                                 f'got {tuple(values.shape)}')
            lattice = splat(values.reshape(batch * points, -1).float())
            for blur in self.blurs:
                lattice = blur(lattice)
            return slice_(lattice).reshape(values.shape)
        return apply

    def matrix(self, inner=None, outer=None):
        """``diag(outer) @ filter @ diag(inner)`` as one ``(B N, B N)`` :class:`SparseRows`
        (worth it for small kernels: one gather pass instead of d + 3)."""
        splat = self.splat if inner is None else self.splat.scaled(columns=inner.flatten())
        slice_ = self.slice if outer is None else self.slice.scaled(rows=outer.flatten())
        product = splat.to_csr()
        for blur in self.blurs:
            product = blur.to_csr() @ product
        return SparseRows.from_csr(slice_.to_csr() @ product)
