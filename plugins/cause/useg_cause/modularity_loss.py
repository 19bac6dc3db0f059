"""Soft graph modularity of token affinities under prototype co-membership (CAUSE stages 1 and 3)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from useg.registry import MODELS

DEFAULT_PROTOTYPE_CHUNK = 128  # prototypes per chunk of the co-membership max


def modularity_matrix(tokens):
    """``tokens (B, N, C)`` -> ``(W (B, N, N), two_m (B, 1, 1))``.

    ``A = clamp_min(cos, 0)`` with a zero diagonal, ``deg = A.sum(-1)``, ``two_m = A.sum()`` and
    ``W = A - (deg / 2m)(deg / 2m)^T * 2m`` (the reference's order of operations).
    """
    normed = F.normalize(tokens, dim=2)
    affinity = (normed @ normed.transpose(2, 1)).clamp(0)
    affinity = affinity - affinity * torch.eye(affinity.shape[1], device=affinity.device)
    degree = affinity.sum(dim=2, keepdim=True)
    two_m = affinity.sum(dim=(1, 2), keepdim=True)
    return affinity - (degree / two_m) @ (degree.transpose(2, 1) / two_m) * two_m, two_m


@MODELS.register_module()
class ModularityLoss(nn.Module):
    """Minus the soft Newman modularity, averaged over images (spec section 3.2).

    ``loss(tokens (B, N, C), centroids (M, C))`` -> scalar. With ``Dm = clamp_min(cos(centroid,
    token), 0)`` ``(B, M, N)``, the co-membership of a pair is ``delta_ij = max_k tanh(Dm_ki Dm_kj /
    temperature)`` and the loss is ``-mean_b trace((W / 2m) @ delta)``. ``tokens`` are detached:
    the gradient reaches the centroids only.

    Args:
        temperature: tanh temperature (0.1).
        prototype_chunk: prototypes per chunk (default 128): the max over prototypes is taken
            chunk by chunk (same value and gradient, peak memory ``B * chunk * N^2``), using
            ``max_k tanh(x_k) = tanh(max_k x_k)``; None materialises ``(B, M, N, N)`` as the
            reference.
    """

    def __init__(self, temperature=0.1, prototype_chunk=DEFAULT_PROTOTYPE_CHUNK):
        super().__init__()
        self.temperature = temperature
        self.prototype_chunk = prototype_chunk

    def co_membership(self, membership):
        """``membership (B, M, N)`` -> ``delta (B, N, N)``."""
        if self.prototype_chunk is None:
            products = membership.unsqueeze(3) @ membership.unsqueeze(2)
            return torch.tanh(products / self.temperature).max(dim=1)[0]
        best = None
        for chunk in membership.split(self.prototype_chunk, dim=1):
            products = (chunk.unsqueeze(3) @ chunk.unsqueeze(2)).max(dim=1)[0]
            # strict '>' keeps the earlier prototype on ties (first arg-max, as max(dim) does)
            best = products if best is None else torch.where(products > best, products, best)
        return torch.tanh(best / self.temperature)

    def forward(self, tokens, centroids):
        tokens = tokens.detach()
        weights, two_m = modularity_matrix(tokens)
        assignment = (F.normalize(tokens, dim=2)
                      @ F.normalize(centroids, dim=1).unsqueeze(0).transpose(2, 1)).clamp(0)
        delta = self.co_membership(assignment.transpose(2, 1))
        modularity = ((weights / two_m) @ delta).diagonal(dim1=-2, dim2=-1).sum(dim=-1)
        return -modularity.mean()
