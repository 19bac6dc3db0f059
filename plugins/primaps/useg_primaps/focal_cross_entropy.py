"""The class-level "focal" cross-entropy of PriMaPs-EM (the M-step loss)."""
import torch.nn.functional as F


def class_confidence_weights(logits, gamma=2.0):
    """``logits (B, K, H, W)`` -> detached weights ``(K,)``: ``(1 - mean softmax_k) ** gamma``.

    The mean runs over all ``B*H*W`` pixels.
    """
    mean_confidence = logits.detach().softmax(1).transpose(0, 1).flatten(1).mean(1)
    return (1 - mean_confidence) ** gamma


def focal_cross_entropy(logits, labels, gamma=2.0, ignore_index=255):
    """Confidence-weighted cross-entropy, averaged over **all** ``B*H*W`` pixels.

    ``sum_{valid p} w_{y_p} * CE(z_p, y_p) / (B*H*W)`` with :func:`class_confidence_weights`;
    ignored pixels count as zeros in the mean (the reference's ``reduction='none'`` then
    ``.mean()``). ``logits (B, K, H, W)``, ``labels (B, H, W)`` long.
    """
    if logits.dim() != 4 or labels.shape != (logits.shape[0], *logits.shape[2:]):
        raise ValueError(f'logits (B, K, H, W) and labels (B, H, W) expected, got '
                         f'{tuple(logits.shape)} and {tuple(labels.shape)}')
    weights = class_confidence_weights(logits, gamma)
    return F.cross_entropy(logits, labels.long(), weight=weights, ignore_index=ignore_index,
                           reduction='none').mean()
