"""The template method's loss: the code keeps the backbone's pixel-to-pixel similarities."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from useg.registry import MODELS


@MODELS.register_module()
class TemplateLoss(nn.Module):
    """``weight * mean((cos(code_p, code_q) - cos(feats_p, feats_q)) ** 2)`` over pixel pairs.

    A small stand-in for a paper's loss (STEGO's correlation distillation in one line): the
    trainable code ``(B, D, h, w)`` learns to reproduce the cosine similarities of the frozen
    features ``(B, C, h, w)`` between ``num_pairs`` random pixel pairs of the whole batch.

    Args:
        num_pairs: pixel pairs drawn per call (from the global torch RNG).
        weight: loss weight.
    """

    def __init__(self, num_pairs=1024, weight=1.0):
        super().__init__()
        self.num_pairs = num_pairs
        self.weight = weight

    def forward(self, feats, code, pairs=None):
        """``pairs``: optional ``(P, 2)`` long indices into the ``B*h*w`` pixels (else drawn)."""
        feats = feats.permute(0, 2, 3, 1).reshape(-1, feats.shape[1])
        code = code.permute(0, 2, 3, 1).reshape(-1, code.shape[1])
        if pairs is None:
            pairs = torch.randint(feats.shape[0], (self.num_pairs, 2), device=feats.device)
        with torch.no_grad():
            target = F.cosine_similarity(feats[pairs[:, 0]], feats[pairs[:, 1]], dim=1)
        similarity = F.cosine_similarity(code[pairs[:, 0]], code[pairs[:, 1]], dim=1)
        return self.weight * ((similarity - target) ** 2).mean()
