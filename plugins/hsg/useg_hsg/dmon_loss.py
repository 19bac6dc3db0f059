"""DMoN modularity + collapse loss on a per-view kNN token graph (HSG section 6)."""
import math

import torch
from torch import nn

from useg.registry import MODELS

KERNEL_CONCENTRATION = 5.0


def knn_adjacency(tokens, padding_mask, view_ids=None, knn=None):
    """Binary kNN graph of the tokens, built per view, without self-loops (no gradient).

    Kernel ``exp(5 * t_i . t_j)``; padded tokens have no edges; self-loops are removed when an image
    has more than one valid token; each row keeps, inside every view separately, the columns whose
    kernel value is at least its k-th largest (``k = min(knn, tokens in that view)``; ties kept).

    Args:
        tokens (Tensor): ``(B, C, N)`` unit token vectors.
        padding_mask (Tensor): bool ``(B, N)``, True on padded tokens.
        view_ids (Tensor, optional): ``(B, N)`` view of every token (None: a single view).
        knn (int, optional): neighbours per view (None: keep every edge).

    Returns:
        Tensor: ``(B, N, N)`` float adjacency, rows = source nodes.
    """
    with torch.no_grad():
        batch, _, num_nodes = tokens.shape
        kernel = torch.bmm(tokens.transpose(1, 2), tokens).mul(KERNEL_CONCENTRATION).exp()
        invalid_pair = padding_mask.unsqueeze(-1) | padding_mask.unsqueeze(-2)
        kernel = kernel.masked_fill(invalid_pair, 0)
        has_neighbours = (~padding_mask).sum(-1) > 1
        eye = torch.eye(num_nodes, dtype=torch.bool, device=tokens.device)
        kernel = kernel.masked_fill(eye & has_neighbours.view(-1, 1, 1), 0)
        if knn is not None:
            if view_ids is None:
                view_ids = torch.zeros_like(padding_mask, dtype=torch.long)
            kernel = _keep_top_k_per_view(kernel, padding_mask, view_ids, knn)
        return (kernel > 0).to(tokens.dtype)


def _keep_top_k_per_view(kernel, padding_mask, view_ids, knn):
    """Zero, per row and per view, the columns below the row's k-th largest value in that view."""
    valid = ~padding_mask
    views = torch.unique(view_ids[valid])
    # (B, V, N): column j belongs to view v and is a real token.
    in_view = valid.unsqueeze(1) & (view_ids.unsqueeze(1) == views.view(1, -1, 1))
    counts = in_view.sum(-1)                                           # (B, V)
    top = min(knn, kernel.shape[-1])
    masked = kernel.unsqueeze(1).masked_fill(~in_view.unsqueeze(2), float('-inf'))
    top_values = masked.topk(top, dim=-1).values                       # (B, V, N, top)
    kth_index = (counts.clamp(max=knn) - 1).clamp(min=0)               # (B, V)
    kth = top_values.gather(-1, kth_index.view(*kth_index.shape, 1, 1).expand(
        -1, -1, kernel.shape[1], 1))                                   # (B, V, N, 1)
    below = in_view.unsqueeze(2) & (kernel.unsqueeze(1) < kth)         # (B, V, N, N)
    return kernel.masked_fill(below.any(1), 0)


def dmon_terms(adjacency, assignments, valid, collapse_num_nodes=None):
    """DMoN modularity and collapse terms, averaged over the batch.

    ``dmon = 1 - (Tr(S^T A S) - ||S^T d||^2 / 2D) / 2D`` with ``d`` the row sums of ``A`` and
    ``D = sum d``; ``collapse = sqrt(K) * ||sum_i S_i|| / n`` (the reference's factors: no "-1",
    ``n`` = the padded token count unless ``collapse_num_nodes`` is given).

    Args:
        adjacency (Tensor): ``(B, N, N)``.
        assignments (Tensor): soft assignments ``(B, N, K)``.
        valid (Tensor): bool ``(B, N)``; rows of padded tokens are zeroed.
        collapse_num_nodes (int, optional): ``n`` of the collapse term.

    Returns:
        tuple[Tensor, Tensor]: ``(dmon, collapse)`` scalars.
    """
    _, num_nodes, num_groups = assignments.shape
    assignments = assignments * valid.unsqueeze(-1).to(assignments.dtype)
    pooled_adjacency = torch.bmm(torch.bmm(assignments.transpose(1, 2), adjacency), assignments)
    degrees = adjacency.sum(-1)                                         # (B, N)
    two_edges = 2 * degrees.sum(-1)                                     # (B,)
    pooled_degrees = torch.bmm(assignments.transpose(1, 2), degrees.unsqueeze(-1)).squeeze(-1)
    trace = torch.diagonal(pooled_adjacency, dim1=1, dim2=2).sum(-1)
    modularity = (trace - pooled_degrees.pow(2).sum(-1) / two_edges) / two_edges
    dmon = (1 - modularity).mean()
    nodes = num_nodes if collapse_num_nodes is None else collapse_num_nodes
    collapse = (assignments.sum(1).norm(dim=-1) * math.sqrt(num_groups) / nodes).mean()
    return dmon, collapse


@MODELS.register_module()
class DMoNLoss(nn.Module):
    """Graph-modularity clustering loss of the clustering transformers' soft assignments.

    Args:
        knn (int): neighbours per view in the token graph (COCO 2, Cityscapes 4).
        per_view (bool): kNN inside each view (COCO) or over all tokens at once (Cityscapes).
        collapse_num_nodes (int, optional): ``n`` of the collapse term (COCO: 256, the reference's
            token capacity; None: the padded token count, as the Cityscapes variant).
    """

    def __init__(self, knn=2, per_view=True, collapse_num_nodes=256):
        super().__init__()
        if knn is not None and knn < 1:
            raise ValueError(f'knn must be >= 1 or None, got {knn}')
        self.knn = knn
        self.per_view = per_view
        self.collapse_num_nodes = collapse_num_nodes

    def forward(self, probabilities, tokens, padding_mask, view_ids=None):
        """``(dmon, collapse)`` for assignments ``(B, K, N)`` of tokens ``(B, C, N)``."""
        if probabilities.shape[0] != tokens.shape[0] or \
                probabilities.shape[-1] != tokens.shape[-1]:
            raise ValueError(f'probabilities {tuple(probabilities.shape)} and tokens '
                             f'{tuple(tokens.shape)} must be (B, K, N) and (B, C, N)')
        adjacency = knn_adjacency(tokens, padding_mask,
                                  view_ids if self.per_view else None, self.knn)
        return dmon_terms(adjacency, probabilities.transpose(1, 2), ~padding_mask,
                          self.collapse_num_nodes)
