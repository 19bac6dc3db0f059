"""Permutohedral-lattice Gaussian filtering in PyTorch (Adams et al. 2010), batched, CPU or CUDA.

It reproduces the lattice of Krähenbühl's ``densecrf`` (``permutohedral.cpp``, the SSE build
pydensecrf uses): the same elevation, round-half-to-even remainder, rank ordering and barycentric
weights in float32, the same ``[1/2, 1, 1/2]`` blur along each of the ``d + 1`` lattice axes and
the same ``alpha`` scaling when slicing. So the filter is pydensecrf's approximate Gaussian (not
an exact one) up to float summation order.
"""
import math

import torch

MAX_PACKED_KEY = 2 ** 62


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
        keys, self.weights = self._simplex(elevated)  # (P, d + 1, d) long, (P, d + 1) float
        self.alpha = 1.0 / (1.0 + 2.0 ** -dim)
        base = int(keys.min()) - dim
        span = int(keys.max()) - base + dim + 1
        if span ** dim * batch >= MAX_PACKED_KEY:
            raise LatticeKeyOverflow(f'lattice keys of range {span} in {dim} dimensions do not pack into '
                             f'64 bits for {batch} images; filter fewer images at once')
        strides = span ** torch.arange(dim, device=features.device)
        image = torch.arange(batch, device=features.device).repeat_interleave(points)
        packed = ((keys - base) * strides).sum(-1) + (image * span ** dim)[:, None]
        vertices, inverse = torch.unique(packed.flatten(), return_inverse=True)
        self.num_vertices = len(vertices)
        self.offsets = inverse.reshape(-1, dim + 1) + 1  # slot 0 is the "missing vertex" zero
        ones = int(strides.sum())
        self.neighbours = []
        for axis in range(dim + 1):
            step = ones - (dim + 1) * int(strides[axis]) if axis < dim else ones
            self.neighbours.append((self._find(vertices, vertices - step),
                                    self._find(vertices, vertices + step)))

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
        # rank[i] = #{j > i: delta_i < delta_j} + #{j < i: delta_j >= delta_i}
        index = torch.arange(dim + 1, device=elevated.device)
        after = index[None, :] > index[:, None]  # [i, j]: j after i
        less = delta[:, :, None] < delta[:, None, :]  # [p, i, j]: delta_i < delta_j
        rank = ((less & after) | (~less.transpose(1, 2) & ~after & (index[None, :] != index[:, None])))
        rank = rank.sum(2).to(elevated.dtype) + total
        wrap = (rank < 0).to(elevated.dtype) * (dim + 1) - (rank >= dim + 1).to(elevated.dtype) * (dim + 1)
        rank = (rank + wrap).long()
        remainder0 = remainder0 + wrap
        weights = torch.zeros(len(elevated), dim + 2, dtype=elevated.dtype, device=elevated.device)
        part = (elevated - remainder0) * down
        for i in range(dim + 1):  # sequential, as the reference accumulates
            weights.scatter_add_(1, (dim - rank[:, i:i + 1]), part[:, i:i + 1])
            weights.scatter_add_(1, (dim - rank[:, i:i + 1] + 1), -part[:, i:i + 1])
        weights[:, 0] += 1 + weights[:, dim + 1]
        # vertex r of the simplex: remainder0 + canonical[r][rank]
        vertex = torch.arange(dim + 1, device=elevated.device)[None, :, None]  # r
        ranks = rank[:, None, :dim]
        canonical = torch.where(ranks <= dim - vertex, vertex, vertex - (dim + 1))
        keys = remainder0[:, None, :dim].long() + canonical
        return keys, weights[:, :dim + 1]

    @staticmethod
    def _find(vertices, queries):
        """Slot of every query key (``index + 1``), 0 where the lattice has no such vertex."""
        position = torch.searchsorted(vertices, queries).clamp(max=len(vertices) - 1)
        found = vertices[position] == queries
        slots = torch.where(found, position + 1, torch.zeros_like(position))
        return torch.cat([slots.new_zeros(1), slots])  # slot 0 -> 0

    def filter(self, values):
        """``values (B, N, V)`` -> ``(B, N, V)`` lattice-filtered values."""
        batch, points = self.shape
        if values.shape[:2] != (batch, points):
            raise ValueError(f'values must be (B, N, V) = ({batch}, {points}, V), '
                             f'got {tuple(values.shape)}')
        flat = values.reshape(batch * points, -1).float()
        lattice = flat.new_zeros(self.num_vertices + 1, flat.shape[1])
        for r in range(self.dim + 1):
            lattice.index_add_(0, self.offsets[:, r], flat * self.weights[:, r:r + 1])
        for lower, upper in self.neighbours:
            blurred = lattice.index_select(0, lower).add_(lattice.index_select(0, upper))
            lattice = blurred.mul_(0.5).add_(lattice)
        out = torch.zeros_like(flat)
        for r in range(self.dim + 1):
            out.addcmul_(lattice.index_select(0, self.offsets[:, r]),
                         self.weights[:, r:r + 1] * self.alpha)
        return out.reshape(values.shape)
