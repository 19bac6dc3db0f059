"""Local hidden positives: attention-weighted 3×3 propagation of the code."""
import torch


def neighbourhood_mask(grid_size, device=None):
    """``(n, n)`` float: 1 where token ``j`` lies in the clipped 3×3 window of token ``i``."""
    height, width = grid_size
    ys, xs = torch.meshgrid(torch.arange(height, device=device), torch.arange(width, device=device),
                            indexing='ij')
    ys, xs = ys.reshape(-1), xs.reshape(-1)
    near = ((ys[:, None] - ys[None]).abs() <= 1) & ((xs[:, None] - xs[None]).abs() <= 1)
    return near.float()


@torch.no_grad()
def local_propagation_weights(attn_logits, grid_size, sigma=28.0, quantiles=(0.1, 0.9)):
    """HP's locality weights ``(B, n, n)``; ``[b, i, j]`` weighs token ``j`` in token ``i``'s code.

    ``attn_logits``: ``(B, heads, n, n)`` (averaged over heads) or ``(B, n, n)``;
    ``grid_size = (h, w)``, ``h·w = n``. Per row: clamp to the ``quantiles``, softmax, ``× sigma``,
    zero entries strictly below the row mean, keep the clipped 3×3 neighbourhood, divide by its size.
    """
    attn = attn_logits.float()
    if attn.dim() == 4:
        attn = attn.mean(dim=1)
    low = torch.quantile(attn, quantiles[0], dim=-1, keepdim=True)
    high = torch.quantile(attn, quantiles[1], dim=-1, keepdim=True)
    attn = torch.max(torch.min(attn, high), low)
    attn = attn.softmax(dim=-1) * sigma
    attn = torch.where(attn < attn.mean(dim=-1, keepdim=True), torch.zeros_like(attn), attn)
    near = neighbourhood_mask(grid_size, attn.device)
    return attn * near / near.sum(dim=1, keepdim=True)


def propagate_locally(code, weights):
    """``code (B, D, h, w)``, ``weights (B, n, n)`` -> ``(B, D, h, w)`` with token ``i`` =
    ``Σ_j weights[b, i, j] · code[b, :, j]`` (differentiable in ``code``)."""
    batch, channels, height, width = code.shape
    flat = code.reshape(batch, channels, height * width)
    return torch.bmm(flat, weights.to(code.dtype).transpose(1, 2)).reshape(code.shape)
