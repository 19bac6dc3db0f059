"""Spherical (von Mises-Fisher) k-means from a grid initialisation (SegSort / HSG section 4)."""
import torch
import torch.nn.functional as F
from torch import nn

from useg.registry import MODELS

NORM_EPS = 1e-12


def normalize(x):
    """L2-normalise the last dimension (norms below 1e-12 are clamped, as in the reference)."""
    return F.normalize(x, dim=-1, eps=NORM_EPS)


def grid_labels(grid, height, width, device=None):
    """Initial labels ``(H * W,)`` of a ``(gy, gx)`` grid, consecutive ids numbered down columns.

    Row bin ``round(linspace(0, gy - 1, H))``, column bin ``round(linspace(0, gx - 1, W))``,
    label ``row_bin + gy * col_bin``, relabelled to ``0..C-1`` (cells can be empty when the map is
    smaller than the grid).
    """
    rows = torch.linspace(0, grid[0] - 1, height, device=device).round().long()
    cols = torch.linspace(0, grid[1] - 1, width, device=device).round().long()
    labels = rows.view(-1, 1) + (rows.max() + 1) * cols.view(1, -1)
    return torch.unique(labels.view(-1), return_inverse=True)[1]


def location_features(height, width, device=None):
    """``(H * W, 2)`` pixel coordinates ``(y / (H - 1) - 0.5, x / (W - 1) - 0.5)``."""
    ys = torch.linspace(0, 1, height, device=device)
    xs = torch.linspace(0, 1, width, device=device)
    grid_y, grid_x = torch.meshgrid(ys, xs, indexing='ij')
    return (torch.stack([grid_y, grid_x], dim=2) - 0.5).view(-1, 2)


@MODELS.register_module()
class SphericalKMeans(nn.Module):
    """Spherical k-means: M-step ``mu_k = normalise(sum_{p in k} z_p)`` (empty cluster -> 0),
    E-step ``argmax_k z_p . mu_k`` (ties -> lowest k), ``iterations`` times.

    Args:
        iterations (int): EM iterations (HSG stage 2: 15; stage 1: 1).
        grid (tuple[int, int]): ``(gy, gx)`` of the initial grid (HSG training: 4x4; VOC
            inference: 6x6; Cityscapes inference: 12x24).
    """

    def __init__(self, iterations=15, grid=(4, 4)):
        super().__init__()
        if iterations < 0:
            raise ValueError(f'iterations must be >= 0, got {iterations}')
        if len(grid) != 2 or min(grid) < 1:
            raise ValueError(f'grid must be two positive ints, got {grid}')
        self.iterations = int(iterations)
        self.grid = tuple(int(g) for g in grid)

    def kmeans(self, embeddings, initial_labels):
        """Cluster one set of points.

        Args:
            embeddings (Tensor): unit feature vectors ``(N, D)``.
            initial_labels (Tensor): initial cluster ids ``(N,)`` in ``[0, C)``, with
                ``C = initial_labels.max() + 1``.

        Returns:
            Tensor: cluster ids ``(N,)``.
        """
        if embeddings.dim() != 2 or initial_labels.shape != embeddings.shape[:1]:
            raise ValueError('expected embeddings (N, D) and initial_labels (N,), got '
                             f'{tuple(embeddings.shape)} and {tuple(initial_labels.shape)}')
        if embeddings.shape[0] == 0:
            return initial_labels.long()
        valid = torch.ones(1, embeddings.shape[0], dtype=torch.bool, device=embeddings.device)
        num_clusters = int(initial_labels.max()) + 1
        return self.kmeans_batched(embeddings[None], initial_labels[None].long(), valid,
                                   num_clusters)[0]

    def kmeans_batched(self, embeddings, initial_labels, valid, num_clusters):
        """Cluster ``B`` independent point sets at once (one per view), without a Python loop.

        Args:
            embeddings (Tensor): unit feature vectors ``(B, N, D)``.
            initial_labels (Tensor): initial ids ``(B, N)`` in ``[0, num_clusters)``.
            valid (Tensor): bool ``(B, N)``; invalid points neither vote nor matter.
            num_clusters (int): clusters per set.

        Returns:
            Tensor: cluster ids ``(B, N)`` (arbitrary where ``valid`` is False).
        """
        weights = valid.to(embeddings.dtype).unsqueeze(1)                    # (B, 1, N)
        labels = initial_labels
        for _ in range(self.iterations):
            members = F.one_hot(labels, num_clusters).transpose(1, 2).to(embeddings.dtype)
            centroids = normalize(torch.bmm(members * weights, embeddings))  # (B, C, D)
            labels = torch.bmm(embeddings, centroids.transpose(1, 2)).argmax(-1)
        return labels

    def segment_views(self, embeddings, valid):
        """Cluster every view of a batch on ``[embedding, xy]`` from the grid initialisation.

        Args:
            embeddings (Tensor): pixel embeddings ``(B, D, h, w)`` (normalised here).
            valid (Tensor): bool ``(B, h, w)``, False on ignored / padded pixels.

        Returns:
            Tensor: cluster ids ``(B, h, w)`` in ``[0, C)``, C the number of grid cells.
        """
        batch, _, height, width = embeddings.shape
        pixels = normalize(embeddings.detach().flatten(2).transpose(1, 2))
        locations = location_features(height, width, embeddings.device).to(pixels.dtype)
        features = normalize(torch.cat([pixels, locations.expand(batch, -1, -1)], dim=-1))
        initial = grid_labels(self.grid, height, width, embeddings.device)
        labels = self.kmeans_batched(features, initial.expand(batch, -1), valid.flatten(1),
                                     int(initial.max()) + 1)
        return labels.view(batch, height, width)
