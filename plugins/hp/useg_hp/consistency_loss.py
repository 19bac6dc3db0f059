"""HP's consistency term between the projected codes of an image and its augmented copy."""
import torch
import torch.nn as nn

from useg.registry import MODELS


@MODELS.register_module()
class HPConsistencyLoss(nn.Module):
    """``loss(z, z_aug)`` = mean over rows of ``‖z − z_aug + eps‖₂``; ``z, z_aug (N, P)``."""

    def __init__(self, eps=1e-6):
        super().__init__()
        self.eps = eps

    def forward(self, z, z_aug):
        return torch.linalg.vector_norm(z - z_aug + self.eps, dim=-1).mean()
