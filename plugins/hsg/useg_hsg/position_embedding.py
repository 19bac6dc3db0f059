"""Learned row / column positional embedding of the HSG clustering transformers (DETR style)."""
import torch
from torch import nn


class LearnedPositionEmbedding(nn.Module):
    """Row and column tables (``max_size`` entries, ``dim // 2`` each, Uniform(0, 1) init).

    ``forward(height, width)`` -> ``(dim, H, W)``: the column (x) half first, then the row (y) half.
    """

    def __init__(self, dim=128, max_size=50):
        super().__init__()
        if dim % 2:
            raise ValueError(f'dim must be even, got {dim}')
        self.max_size = max_size
        self.row_embed = nn.Embedding(max_size, dim // 2)
        self.col_embed = nn.Embedding(max_size, dim // 2)
        nn.init.uniform_(self.row_embed.weight)
        nn.init.uniform_(self.col_embed.weight)

    def forward(self, height, width):
        if height > self.max_size or width > self.max_size:
            raise ValueError(f'feature map {height}x{width} exceeds the {self.max_size}-entry '
                             'positional tables (HSG trains on crops of at most 16 * 50 px)')
        device = self.row_embed.weight.device
        cols = self.col_embed(torch.arange(width, device=device))          # (W, D/2)
        rows = self.row_embed(torch.arange(height, device=device))         # (H, D/2)
        return torch.cat([cols.unsqueeze(0).expand(height, -1, -1),
                          rows.unsqueeze(1).expand(-1, width, -1)], dim=-1).permute(2, 0, 1)
