"""The STEGO / PriMaPs dense CRF in PyTorch: pydensecrf's ``DenseCRF2D`` on any device, batched."""
import functools

import torch
import torch.nn.functional as F

from .crf import (BILATERAL_COMPAT, BILATERAL_SRGB, BILATERAL_SXY, GAUSSIAN_COMPAT, GAUSSIAN_SXY,
                  UNARY_CLIP)
from .permutohedral import LatticeKeyOverflow, PermutohedralLattice


def _pixel_grid(batch, height, width, device):
    """``(B, H * W, 2)`` float32 (column, row) of every pixel in row-major order."""
    rows, cols = torch.meshgrid(torch.arange(height, device=device, dtype=torch.float32),
                                torch.arange(width, device=device, dtype=torch.float32),
                                indexing='ij')
    return torch.stack([cols, rows], -1).reshape(1, -1, 2).expand(batch, -1, -1)


def _normaliser(lattice):
    """``densecrf``'s ``NORMALIZE_SYMMETRIC`` scale ``1 / sqrt(K 1)`` of every point, ``(B, N)``."""
    batch, points = lattice.shape
    ones = torch.ones(batch, points, 1, device=lattice.slice.weights.device)
    return (lattice.filter(ones)[..., 0] + 1e-20).rsqrt()


@functools.lru_cache(maxsize=4)
def _gaussian_message(height, width, sxy, compat, device):
    """``compat * n * K(n * Q)`` of the Gaussian kernel of one ``(H, W)`` image as one sparse
    ``(H W, H W)`` matrix: it depends on the image size only, so it is built once per size."""
    lattice = PermutohedralLattice(_pixel_grid(1, height, width, device) / sxy)
    norm = _normaliser(lattice)
    return lattice.matrix(inner=norm, outer=norm * compat).compact()


def dense_crf_torch(images, log_probs, iterations=10, gaussian_sxy=GAUSSIAN_SXY,
                    gaussian_compat=GAUSSIAN_COMPAT, bilateral_sxy=BILATERAL_SXY,
                    bilateral_srgb=BILATERAL_SRGB, bilateral_compat=BILATERAL_COMPAT,
                    num_labels=None):
    """Dense-CRF refinement of a batch, computed like ``dense_crf`` (pydensecrf) in PyTorch.

    Args:
        images: ``(B, H, W, 3)`` uint8 RGB tensor.
        log_probs: ``(B, K, h, w)`` class log-probabilities; bilinearly upsampled
            (``align_corners=False``) to ``(H, W)`` when sizes differ.
        iterations: mean-field iterations.
        gaussian_* / bilateral_*: kernel standard deviations and Potts weights (defaults: the
            STEGO / PriMaPs constants of :mod:`useg.postprocess.crf`).
        num_labels: optional ``(B,)`` number of real classes per image; the channels after them
            are padding and get probability 0 (so images with different K share a batch and
            each gets exactly its own K-class result).

    Returns:
        ``(B, K, H, W)`` float32 probabilities on ``log_probs``' device.

    Unary ``-log(max(p, 1e-5))``; a Gaussian kernel on ``(x, y) / sxy`` and a bilateral kernel
    on ``(x, y) / sxy, (b, g, r) / srgb`` (the BGR order the references hand to pydensecrf),
    both symmetrically normalised; the Potts pairwise term adds ``compat * K Q`` to the
    same label's logit at every iteration.
    """
    if not torch.is_tensor(images) or images.dtype != torch.uint8 or images.dim() != 4 \
            or images.shape[-1] != 3:
        raise ValueError(f'images must be a (B, H, W, 3) uint8 RGB tensor, got '
                         f'{getattr(images, "shape", type(images))} {getattr(images, "dtype", "")}')
    log_probs = torch.as_tensor(log_probs)
    if log_probs.dim() != 4 or len(log_probs) != len(images):
        raise ValueError(f'log_probs must be (B, K, h, w) with B = {len(images)}, got '
                         f'{tuple(log_probs.shape)}')
    device = log_probs.device
    batch, height, width = images.shape[:3]
    inputs = log_probs
    log_probs = log_probs.detach().float()
    if tuple(log_probs.shape[-2:]) != (height, width):  # channels last: (B, N, K) is a view
        log_probs = F.interpolate(log_probs.contiguous(memory_format=torch.channels_last),
                                  size=(height, width), mode='bilinear', align_corners=False)
    num_classes = log_probs.shape[1]
    log_probs = log_probs.permute(0, 2, 3, 1).reshape(batch, -1, num_classes)  # (B, N, K)
    padding = None
    if num_labels is not None:  # (B, 1, K): True on padding channels
        padding = (torch.arange(num_classes, device=device)
                   >= torch.as_tensor(num_labels, device=device)[:, None])[:, None]
        log_probs = log_probs.masked_fill(padding, float('-inf'))
    clipped = log_probs.softmax(-1).clamp_min_(UNARY_CLIP)
    neg_unary = clipped.log()
    if padding is not None:
        neg_unary.masked_fill_(padding, float('-inf'))
        clipped.masked_fill_(padding, 0)
    q = clipped / clipped.sum(-1, keepdim=True)  # softmax(neg_unary)
    pixels = _pixel_grid(batch, height, width, device)
    colours = images.to(device).flip(-1).reshape(batch, -1, 3).float()  # BGR, as the references
    try:
        lattice = PermutohedralLattice(torch.cat([pixels / float(bilateral_sxy),
                                                  colours / float(bilateral_srgb)], -1))
    except LatticeKeyOverflow:
        if batch == 1:
            raise
        half = batch // 2  # too many images for one lattice: two calls
        settings = dict(gaussian_sxy=gaussian_sxy, gaussian_compat=gaussian_compat,
                        bilateral_sxy=bilateral_sxy, bilateral_srgb=bilateral_srgb,
                        bilateral_compat=bilateral_compat)
        halves = [dense_crf_torch(images[part], inputs[part], iterations,
                                  num_labels=None if num_labels is None else
                                  torch.as_tensor(num_labels)[part], **settings)
                  for part in (slice(None, half), slice(half, None))]
        return torch.cat(halves)
    norm = _normaliser(lattice)
    bilateral = lattice.operator(inner=norm, outer=norm * float(bilateral_compat))
    gaussian = _gaussian_message(height, width, float(gaussian_sxy), float(gaussian_compat),
                                 torch.device(device))
    for _ in range(iterations):
        logits = bilateral(q).add_(neg_unary)
        for index in range(batch):
            logits[index] += gaussian(q[index])
        q = logits.softmax(-1)
    return q.transpose(1, 2).reshape(batch, num_classes, height, width)
