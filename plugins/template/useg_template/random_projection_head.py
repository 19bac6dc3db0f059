"""A fixed random projection of the features (the "RP" baseline of STEGO reproducibility studies)."""
import torch
import torch.nn as nn

from useg.registry import MODELS


@MODELS.register_module()
class RandomProjectionHead(nn.Module):
    """``feats (B, C, h, w)`` -> ``feats`` projected on ``channels`` fixed random directions."""

    def __init__(self, in_channels, channels, seed=0):
        super().__init__()
        generator = torch.Generator().manual_seed(seed)
        projection = torch.randn(channels, in_channels, generator=generator) / in_channels ** 0.5
        self.register_buffer('projection', projection)

    def forward(self, feats):
        return torch.einsum('bchw,dc->bdhw', feats, self.projection)
