"""Class-balanced binary cross-entropy on logits (HED style), MaskContrast's saliency loss."""
import torch


def balanced_bce_with_logits(logits, labels):
    """Balanced BCE of ``logits (B, H, W)`` against binary ``labels (B, H, W)``.

    ``w = #negatives / #pixels``; ``loss = (w * sum_pos bce + (1 - w) * sum_neg bce) / numel``.
    The per-pixel term is the numerically stable HED form
    ``x * (y - [x >= 0]) - log(1 + exp(x - 2 x [x >= 0]))`` (the negative BCE), in that order.
    """
    if logits.shape != labels.shape:
        raise ValueError(f'saliency logits {tuple(logits.shape)} and labels {tuple(labels.shape)} '
                         'must have the same shape')
    labels = labels.to(logits.dtype)
    num_positive = torch.sum(labels)
    num_negative = torch.sum(1.0 - labels)
    weight = num_negative / (num_positive + num_negative)
    logits_nonnegative = torch.ge(logits, 0).to(logits.dtype)
    negative_bce = logits * (labels - logits_nonnegative) - torch.log(
        1 + torch.exp(logits - 2 * logits * logits_nonnegative))
    loss_positive = torch.sum(-labels * negative_bce)
    loss_negative = torch.sum(-(1.0 - labels) * negative_bce)
    return (weight * loss_positive + (1 - weight) * loss_negative) / float(labels.numel())
