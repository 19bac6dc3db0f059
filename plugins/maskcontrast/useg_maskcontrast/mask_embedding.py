"""One vector per image for MaskContrast's K-means and retrieval evaluations."""
import torch
import torch.nn.functional as F


def saliency_weighted_embedding(embedding, saliency_logits, threshold=0.5):
    """``normalise(sum_pixels E * S * [S > threshold])`` -> ``(B, D)``.

    ``embedding (B, D, H, W)`` is the raw (unnormalised) embedding, ``saliency_logits (B, H, W)``
    the saliency **logits**: the reference thresholds and weights by the logit itself, not the
    probability. An image with no pixel above the threshold gets the zero vector.
    """
    batch, dim = embedding.shape[:2]
    weights = saliency_logits * (saliency_logits > threshold).to(saliency_logits.dtype)
    pooled = torch.bmm(embedding.reshape(batch, dim, -1),
                       weights.reshape(batch, -1, 1).to(embedding.dtype))[..., 0]
    return F.normalize(pooled, dim=1)
