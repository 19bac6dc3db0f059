"""Principal mask proposals: the iterative, class-agnostic mask extraction of PriMaPs.

For one image with features ``(C, h, w)``, repeat while less than ``coverage`` of the patches is
covered: take the first principal direction of the raw features of the uncovered patches, use
the uncovered patch most cosine-similar to it (first in row-major order) as anchor, and keep the
uncovered patches whose cosine to the anchor is at least ``threshold`` times the largest one,
scaled by that largest one (a soft mask in ``[0, 1]``). Stop early when two consecutive
iterations cover nothing new.

:func:`principal_mask_proposals` is that loop for one image, exactly as the reference writes it;
:func:`batched_principal_mask_proposals` runs it for a batch of images at once (one vectorised
step per iteration for every image still going) and returns the same masks.
"""
import torch
import torch.nn.functional as F

from .principal_direction import (START_SEED, batched_first_principal_direction,
                                  first_principal_direction, image_start_stream)

NO_PROGRESS_ITERATIONS = 2  # reference: the last three coverage states are identical


def _check_arguments(feats, dims, threshold, coverage):
    if not 0 < coverage <= 1:
        raise ValueError(f'coverage must be in (0, 1], got {coverage}')
    if not 0 <= threshold <= 1:
        raise ValueError(f'threshold must be in [0, 1], got {threshold}')
    if not torch.is_tensor(feats) or feats.dim() != dims or not feats.is_floating_point():
        shape = '(B, C, h, w)' if dims == 4 else '(C, h, w)'
        raise ValueError(f'features must be a floating-point tensor of shape {shape}, '
                         f'got {getattr(feats, "shape", type(feats))}')


def _soft_mask(similarity, available, threshold):
    """Cosine to the anchor ``(..., n)`` -> soft mask: relative threshold, scaled to max 1.

    A non-positive maximum (no uncovered patch resembles the anchor) gives an empty mask where
    the reference divides by zero.
    """
    similarity = similarity * available
    peak = similarity.amax(-1, keepdim=True)
    similarity = similarity.masked_fill(similarity < threshold * peak, 0.0)
    return torch.where(peak > 0, similarity / peak.clamp_min(torch.finfo(similarity.dtype).tiny),
                       torch.zeros_like(similarity))


def principal_mask_proposals(feats, threshold=0.4, coverage=0.95, rank=3, niter=100):
    """Mask proposals of one image, the per-image reference loop.

    The ``pca_lowrank`` starts come from the global stream seeded with ``START_SEED`` (the
    reference's loop after ``torch.manual_seed(0)``); the global random state is restored.

    Args:
        feats: ``(C, h, w)`` raw backbone features.
        threshold: relative cosine threshold ``psi``.
        coverage: stop once this fraction of the patches is covered.
        rank, niter: ``torch.pca_lowrank`` settings of the principal direction.

    Returns:
        ``(M, h, w)`` soft masks in ``[0, 1]``, in extraction order (``M >= 1``).
    """
    _check_arguments(feats, 3, threshold, coverage)
    channels, height, width = feats.shape
    unit = F.normalize(feats.reshape(channels, -1), dim=0)  # (C, n)
    available = torch.ones(height * width, dtype=torch.bool, device=feats.device)
    masks, stalled, iteration = [], 0, 0
    with image_start_stream(feats.device):
        while ((~available).sum() / available.numel()) < coverage:
            iteration += 1
            direction = first_principal_direction(feats.reshape(channels, -1)[:, available].T,
                                                  rank, niter)
            projection = (direction @ unit) * available
            anchor = unit[:, projection.argmax()]
            mask = _soft_mask(anchor @ unit, available, threshold)
            masks.append(mask)
            newly_covered = available & (mask > 0)
            available = available & ~newly_covered
            stalled = 0 if newly_covered.any() else stalled + 1
            if iteration > NO_PROGRESS_ITERATIONS + 1 and stalled >= NO_PROGRESS_ITERATIONS:
                break
    return torch.stack(masks).reshape(-1, height, width)


def batched_principal_mask_proposals(feats, threshold=0.4, coverage=0.95, rank=3, niter=100,
                                     generator=None):
    """Mask proposals of a batch of images, vectorised across images.

    Args:
        feats: ``(B, C, h, w)`` raw backbone features (any device).
        threshold, coverage, rank, niter: as :func:`principal_mask_proposals`.
        generator: one random stream for every image's principal-direction starts (on
            ``feats.device`` or the CPU); ``None`` (default) gives every image its own CPU
            generator seeded with ``START_SEED``, the stream of the per-image loop, so its masks
            depend neither on the global seed nor on the rest of the batch.

    Returns:
        ``masks (B, M_max, h, w)`` (image ``b``'s masks first, zero padding after) and
        ``counts (B,)`` long, the number of masks of every image.
    """
    _check_arguments(feats, 4, threshold, coverage)
    batch, channels, height, width = feats.shape
    patches = height * width
    raw = feats.reshape(batch, channels, patches).transpose(1, 2)  # (B, n, C)
    unit = F.normalize(raw, dim=2)
    available = torch.ones(batch, patches, dtype=torch.bool, device=feats.device)
    active = torch.ones(batch, dtype=torch.bool, device=feats.device)
    stalled = torch.zeros(batch, dtype=torch.long, device=feats.device)
    counts = torch.zeros(batch, dtype=torch.long, device=feats.device)
    positions = torch.arange(patches, device=feats.device)
    generators = ([generator] * batch if generator is not None else
                  [torch.Generator().manual_seed(START_SEED) for _ in range(batch)])
    masks, iteration = [], 0
    while True:
        active &= ((~available).sum(1) / patches) < coverage
        if not active.any():
            break
        iteration += 1
        index = active.nonzero().flatten()
        free = available[index]
        # available rows first, in row-major order (the rows pca_lowrank sees for each image),
        # trimmed to the largest available count: no work on covered rows beyond it
        remaining = free.sum(1)
        order = torch.where(free, positions, positions + patches).argsort(dim=1)
        order = order[:, :int(remaining.max())]
        rows = torch.gather(raw[index], 1, order[..., None].expand(-1, -1, channels))
        streams = [generators[image] for image in index.tolist()]
        direction = batched_first_principal_direction(rows, remaining, rank, niter, streams)
        projection = (unit[index] @ direction[..., None])[..., 0] * free
        anchor = unit[index, projection.argmax(1)]  # (b, C)
        mask = _soft_mask((unit[index] @ anchor[..., None])[..., 0], free, threshold)
        step = torch.zeros(batch, patches, dtype=feats.dtype, device=feats.device)
        step[index] = mask
        masks.append(step)
        counts[index] += 1
        newly_covered = free & (mask > 0)
        available[index] = free & ~newly_covered
        stalled[index] = torch.where(newly_covered.any(1), 0, stalled[index] + 1)
        if iteration > NO_PROGRESS_ITERATIONS + 1:
            active &= stalled < NO_PROGRESS_ITERATIONS
    # images start together and never restart: image b's masks are the first counts[b] steps
    return torch.stack(masks, dim=1).reshape(batch, -1, height, width), counts
