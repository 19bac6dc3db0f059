"""Post-processing of principal mask proposals into per-patch log-probabilities."""
import torch
import torch.nn.functional as F

MASK_GAIN = 10.0  # reference: hard-coded (``--gain`` is unused)


def median_filter_3x3(masks):
    """3x3 median filter, stride 1, reflect padding: ``(B, M, h, w)`` -> ``(B, M, h, w)``.

    The median of 9 values is the 5th smallest (``torch.median``).
    """
    if masks.shape[-2] < 2 or masks.shape[-1] < 2:
        raise ValueError(f'the median filter needs a token grid of at least 2x2, got '
                         f'{tuple(masks.shape[-2:])}')
    padded = F.pad(masks, (1, 1, 1, 1), mode='reflect')
    windows = padded.unfold(2, 3, 1).unfold(3, 3, 1)  # (B, M, h, w, 3, 3)
    return windows.reshape(*windows.shape[:4], 9).median(dim=-1).values


def proposal_log_probs(masks, counts):
    """Mask proposals -> background + mask log-probabilities.

    Args:
        masks: ``(B, M, h, w)`` soft masks, image ``b`` using its first ``counts[b]`` channels.
        counts: ``(B,)`` masks per image.

    Returns:
        ``log_probs (B, M + 1, h, w)``: channel 0 = background, channel ``i`` = mask ``i``;
        channels beyond ``counts[b] + 1`` are -1e4 (no probability mass, finite so that
        bilinear resizing stays finite). ``valid (B,)`` bool: False where the median filter
        removed every mask (no structure), whose map must be all ignore.
    """
    batch, num_masks = masks.shape[:2]
    masks = (median_filter_3x3(masks) * MASK_GAIN).clamp(0, 1)
    nonzero = masks != 0
    valid = nonzero.flatten(1).any(1)
    mean_nonzero = (masks.flatten(1).sum(1) / nonzero.flatten(1).sum(1).clamp_min(1))
    background = (mean_nonzero[:, None, None] - masks.sum(1)).clamp(0, 1)
    logits = torch.cat([background[:, None], masks], dim=1)
    channel = torch.arange(num_masks + 1, device=masks.device)
    used = channel[None, :] <= counts[:, None].to(masks.device)
    logits = logits.masked_fill(~used[..., None, None], float('-inf'))
    log_probs = torch.log_softmax(logits, dim=1)
    return log_probs.masked_fill(~used[..., None, None], -1e4), valid
