"""MaskContrast's objective: query foreground pixels vs. key mask prototypes and a queue."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from useg.registry import MODELS

from .balanced_bce import balanced_bce_with_logits


def enet_class_weights(labels, num_classes):
    """E-Net weights ``1 / ln(1.02 + p_c)`` with ``p_c`` the share of ``labels (N,)`` in class c.

    Returns ``(num_classes,)`` float32; classes that never occur get ``1 / ln(1.02)``.
    """
    counts = torch.bincount(labels, minlength=num_classes)
    frequency = counts.float() / labels.numel()
    return 1 / torch.log(1.02 + frequency)


def binary_mask(mask, name):
    """``mask (B, H, W)`` of 0/1 (bool or numbers) as a bool tensor; anything else is an error."""
    if mask.dtype == torch.bool:
        return mask
    if not bool(((mask == 0) | (mask == 1)).all()):
        raise ValueError(f'{name} must be a binary 0/1 mask; got values {mask.unique().tolist()[:8]}')
    return mask == 1


def mask_prototypes(key_embed, key_mask):
    """L2-normalised sum of the normalised ``key_embed (B, D, H, W)`` over ``key_mask (B, H, W)``.

    Returns ``(B, D)``; an image without key foreground gets the zero vector.
    """
    batch, dim = key_embed.shape[:2]
    keys = F.normalize(key_embed, dim=1).reshape(batch, dim, -1)
    weights = key_mask.reshape(batch, -1, 1).to(keys.dtype)
    return F.normalize(torch.bmm(keys, weights)[..., 0], dim=1)


@MODELS.register_module()
class MaskContrastLoss(nn.Module):
    """Class-balanced contrastive cross-entropy + balanced saliency BCE (MaskContrast, ICCV'21).

    Every query-view foreground pixel of image b (label b) is classified among the B key mask
    prototypes of the batch and the K queue entries, with logits ``q . [prototypes, queue] / T``.
    The cross-entropy uses E-Net class weights over the ``B + K`` classes (mean reduction, i.e.
    ``sum w_y nll / sum w_y``). The loss is deterministic given its inputs; the caller enqueues
    ``key_prototypes``.

    Args:
        temperature: T of the logits (0.5 in the paper).
        saliency_weight: weight of the balanced BCE saliency loss (1.0 in the paper).
    """

    def __init__(self, temperature=0.5, saliency_weight=1.0):
        super().__init__()
        self.temperature = temperature
        self.saliency_weight = saliency_weight

    def forward(self, q_embed, q_sal_logits, k_embed, q_sal, k_sal, queue):
        """Loss terms of one step.

        Args:
            q_embed: raw query embeddings ``(B, D, H, W)``.
            q_sal_logits: query saliency logits ``(B, H, W)``.
            k_embed: raw key embeddings ``(B, D, H, W)`` (no gradient flows into them).
            q_sal / k_sal: binary saliency masks of the two views ``(B, H, W)``.
            queue: negatives ``(D, K)`` (unit columns).

        Returns:
            dict: ``loss_contrastive``, ``loss_saliency`` (scalars), ``logits (N_fg, B + K)``
            (divided by T; rows are the query foreground pixels in (b, h, w) order),
            ``labels (N_fg,)`` and ``key_prototypes (B, D)``.
        """
        batch, dim = q_embed.shape[:2]
        if q_embed.shape != k_embed.shape:
            raise ValueError(f'query {tuple(q_embed.shape)} and key {tuple(k_embed.shape)} '
                             'embeddings must have the same shape')
        if queue.shape[0] != dim:
            raise ValueError(f'queue {tuple(queue.shape)} must be (D={dim}, K)')
        q_mask = binary_mask(q_sal, 'q_sal')
        k_mask = binary_mask(k_sal, 'k_sal')

        loss_saliency = balanced_bce_with_logits(q_sal_logits, q_mask)

        queries = F.normalize(q_embed, dim=1).permute(0, 2, 3, 1).reshape(-1, dim)
        foreground = q_mask.reshape(-1).nonzero()[:, 0]
        labels = torch.div(foreground, q_mask[0].numel(), rounding_mode='floor')
        queries = queries[foreground]
        with torch.no_grad():
            prototypes = mask_prototypes(k_embed.detach(), k_mask)
        logits = torch.cat([queries @ prototypes.t(), queries @ queue.detach()], dim=1)
        logits = logits / self.temperature

        if labels.numel() == 0:
            loss_contrastive = q_embed.sum() * 0
        else:
            weights = enet_class_weights(labels, logits.shape[1]).to(logits.dtype)
            loss_contrastive = F.cross_entropy(logits, labels, weight=weights, reduction='mean')
        return dict(loss_contrastive=loss_contrastive,
                    loss_saliency=self.saliency_weight * loss_saliency,
                    logits=logits, labels=labels, key_prototypes=prototypes)
