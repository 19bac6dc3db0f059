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
BLUR_GROUP = 2


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
        corner, coordinate, self.weights = self._simplex(elevated)
        self.alpha = 1.0 / (1.0 + 2.0 ** -dim)
        # vertex r of the simplex: corner + canonical[r][rank], canonical entries in [-d, d]
        base = int(corner.min()) - 2 * dim
        span = int(corner.max()) + 2 * dim + 1 - base
        if span ** dim * batch >= MAX_PACKED_KEY:
            raise LatticeKeyOverflow(f'lattice keys of range {span} in {dim} dimensions do not pack into '
                             f'64 bits for {batch} images; filter fewer images at once')
        strides = span ** torch.arange(dim, device=features.device)
        image = torch.arange(batch, device=features.device).repeat_interleave(points)
        packed = self._vertex_keys(corner - base, coordinate, strides) + (image * span ** dim)[:, None]
        self._build_operators(packed.flatten(), strides, batch * points)

    def _build_operators(self, packed, strides, num_points):
        """Splat, blur and slice as :class:`SparseRows` over the vertices in key order.

        One stable sort of the ``(P (d + 1),)`` packed vertex keys gives the vertices, the
        splat (the sorted entries, grouped by vertex, points in increasing order) and the slice
        (every entry's vertex); one ``searchsorted`` of the ``(d + 1, M)`` upper-neighbour keys
        gives the blur neighbours.
        """
        dim, device = self.dim, packed.device
        sorted_keys, order = packed.sort(stable=True)
        first = torch.ones_like(sorted_keys, dtype=torch.bool)
        torch.ne(sorted_keys[1:], sorted_keys[:-1], out=first[1:])
        offsets = torch.cat([first.nonzero().squeeze(1), order.new_tensor([len(packed)])])
        vertices = sorted_keys[offsets[:-1]]  # (M,) increasing
        self.num_vertices = num_vertices = len(vertices)
        weights = self.weights.flatten()
        self.splat = SparseRows(torch.div(order, dim + 1, rounding_mode='floor'), offsets,
                                weights[order], num_points)
        vertex_of_entry = torch.empty_like(order)
        vertex_of_entry[order] = first.cumsum(0) - 1
        self.slice = SparseRows(vertex_of_entry, torch.arange(
            0, len(packed) + 1, dim + 1, device=device), weights * self.alpha, num_vertices)
        # blur along every lattice axis: x + (x[lower] + x[upper]) / 2, missing neighbours 0;
        # neighbour tables (d + 1, M + 1), index M = "missing" (and M's neighbours are M)
        ones = int(strides.sum())
        steps = torch.tensor([ones - (dim + 1) * int(stride) for stride in strides] + [ones],
                             device=device)
        wanted = vertices + steps[:, None]  # (d + 1, M) upper-neighbour keys
        small = 3 ** BLUR_GROUP * (num_vertices + 1) < 2 ** 31  # blur indices fit int32
        position = torch.searchsorted(vertices, wanted, out_int32=small).clamp_(max=num_vertices - 1)
        found = vertices[position] == wanted
        upper = position.new_full((dim + 1, num_vertices + 1), num_vertices)
        lower = upper.clone()
        upper[:, :-1] = torch.where(found, position, num_vertices)
        axis_start = torch.arange(0, (dim + 1) * (num_vertices + 1), num_vertices + 1,
                                  dtype=position.dtype, device=device)[:, None]
        source = torch.arange(num_vertices, dtype=position.dtype, device=device)
        lower.view(-1)[(position + axis_start)[found]] = source.expand(dim + 1, -1)[found]
        self.blurs = [self._blur_group(lower[start:start + BLUR_GROUP],
                                       upper[start:start + BLUR_GROUP])
                      for start in range(0, dim + 1, BLUR_GROUP)]

    @staticmethod
    def _blur_group(lower, upper):
        """The blurs along consecutive axes (``lower``, ``upper``: ``(A, M + 1)`` neighbour
        tables, M = none) multiplied into one :class:`SparseRows` (the axes' blurs are applied
        first to last; a product row sums over every path of at most one step per axis)."""
        num_vertices = lower.shape[1] - 1
        columns = torch.arange(num_vertices, dtype=lower.dtype, device=lower.device)[:, None]
        weights = torch.ones(1, 1, device=lower.device)
        for lower_axis, upper_axis in zip(reversed(lower), reversed(upper)):
            flat = columns.flatten()
            columns = torch.cat([columns, lower_axis.index_select(0, flat).view_as(columns),
                                 upper_axis.index_select(0, flat).view_as(columns)], 1)
            weights = torch.cat([weights, weights / 2, weights / 2], 1)
        present = columns != num_vertices
        offsets = torch.cat([columns.new_zeros(1), present.sum(1).cumsum(0).to(columns.dtype)])
        keep = present.view(-1).nonzero().squeeze(1)
        return SparseRows(columns.view(-1).index_select(0, keep), offsets,
                          weights.expand_as(columns).reshape(-1).index_select(0, keep),
                          num_vertices)

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
        """Enclosing simplex of every point: its corner ``(P, d)`` long (remainder-0 vertex),
        the coordinate of every rank ``(P, d + 1)`` long (the inverse of the reference's rank
        permutation, after its wrap) and the barycentric weights ``(P, d + 1)``."""
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
        rank = (rank + wrap).long()  # a permutation of 0..d per point
        remainder0 = remainder0 + wrap
        coordinate = torch.empty_like(rank).scatter_(
            1, rank, torch.arange(dim + 1, device=rank.device).expand_as(rank))
        # the reference adds part_i to weight d - rank_i and subtracts it from weight
        # d + 1 - rank_i; each weight gets one term of each sign (exact in either order):
        # weight s = part[rank d - s] - part[rank d + 1 - s], and weight 0 takes 1 + weight d + 1
        by_rank = ((elevated - remainder0) * down).gather(1, coordinate).flip(1)  # s: rank d - s
        weights = torch.empty_like(by_rank)
        torch.sub(by_rank[:, 1:], by_rank[:, :-1], out=weights[:, 1:])
        weights[:, 0] = by_rank[:, 0] + (1 - by_rank[:, dim])
        return remainder0[:, :dim].long(), coordinate, weights

    @staticmethod
    def _vertex_keys(corner, coordinate, strides):
        """Packed keys ``(P, d + 1)`` of the simplex vertices ``corner + canonical[r][rank]``,
        ``canonical[r][i] = r - (d + 1) [rank_i > d - r]``: the key of vertex r is
        ``key(corner) + r sum(strides) - (d + 1) sum_{i: rank_i >= d + 1 - r} strides_i``
        (``coordinate[:, k]``: the coordinate of rank k; coordinate d has no stride)."""
        dim = corner.shape[1]
        corner_key = (corner * strides).sum(1, keepdim=True)
        stride_by_rank = torch.cat([strides, strides.new_zeros(1)])[coordinate]
        above = torch.cat([torch.zeros_like(coordinate[:, :1]),
                           stride_by_rank.flip(1).cumsum(1)[:, :dim]], 1)  # sum over rank >= d+1-r
        vertex = torch.arange(dim + 1, device=coordinate.device)
        return corner_key + vertex * int(strides.sum()) - (dim + 1) * above

    def filter(self, values):
        """``values (B, N, V)`` -> ``(B, N, V)`` lattice-filtered values."""
        return self.operator()(values)

    def _scaled(self, inner, outer):
        """Splat and slice with the point scales ``inner``, ``outer`` ``(B, N)`` (or ``None``)
        folded into their weights."""
        splat = self.splat if inner is None else self.splat.scaled(columns=inner.flatten())
        slice_ = self.slice
        if outer is not None:  # d + 1 entries per point
            weights = self.slice.weights.view(-1, self.dim + 1) * outer.reshape(-1, 1)
            slice_ = SparseRows(slice_.indices, slice_.offsets, weights.flatten(),
                                slice_.num_columns)
        return splat, slice_

    def operator(self, inner=None, outer=None):
        """The filter with point scales folded in: ``values (B, N, V)`` ->
        ``outer * filter(inner * values)`` (``inner``, ``outer``: ``(B, N)`` or ``None``)."""
        splat, slice_ = self._scaled(inner, outer)
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
        splat, slice_ = self._scaled(inner, outer)
        product = splat.to_csr()
        for blur in self.blurs:
            product = blur.to_csr() @ product
        return SparseRows.from_csr(slice_.to_csr() @ product)
