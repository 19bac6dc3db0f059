"""CAUSE segmentation heads: the 1x1-conv MLP ("CAUSE-MLP") and the one-layer decoder ("CAUSE-TR")."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from useg.registry import MODELS

from .quantization import quantize


def tokens_to_map(tokens):
    """``(B, P, C)`` -> ``(B, C, s, s)``, ``s = sqrt(P)`` (a view of the permuted tokens)."""
    batch, num_tokens, channels = tokens.shape
    side = int(math.sqrt(num_tokens))
    return tokens.permute(0, 2, 1).view(batch, channels, side, side)


def map_to_tokens(feature_map):
    """``(B, C, h, w)`` -> ``(B, h * w, C)``, row-major."""
    return feature_map.flatten(2).permute(0, 2, 1)


@MODELS.register_module()
class CAUSEHead(BaseModule):
    """``head(tokens (B, P, C), codebook=None)`` -> ``(B, P, D)``; a map ``(B, C, h, w)`` gives ``(B, D, h, w)``.

    ``structure='mlp'``: ``linear(drop(x)) + nonlinear(drop(x))`` with 1x1 convolutions
    (``nonlinear`` = conv C->C, ReLU, conv C->D) and element-wise dropout drawn independently per
    branch. ``structure='tr'``: the codebook row of every token (:func:`quantize`) is the query of
    one post-norm decoder layer (single-head self-attention with ``query_pos``, cross-attention to
    the raw tokens, FFN of width ``ffn_channels``; dropout ``dropout`` everywhere), the raw tokens
    are added back, then the MLP above. ``query_pos`` has ``num_tokens`` rows (the square grid of
    its training resolution, as the reference); other grids (e.g. inference on images of another
    size) use it bicubically resized (:meth:`positions`). TR needs the clusterbook: the ``codebook`` argument or the one stored by
    :meth:`set_codebook` (a buffer, so checkpoints carry it; ``num_codebook`` fixes its size,
    None lets it take the size of what is set or loaded). Eval mode disables every dropout.
    """

    def __init__(self, structure, in_channels, channels=90, num_tokens=None, ffn_channels=2048,
                 dropout=0.1, num_codebook=None, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if structure not in ('mlp', 'tr'):
            raise ValueError(f"structure must be 'mlp' or 'tr', got {structure!r}")
        self.structure = structure
        self.in_channels = in_channels
        self.channels = channels
        self.dropout = nn.Dropout(dropout)
        self.linear = nn.Conv2d(in_channels, channels, 1)
        self.nonlinear = nn.Sequential(nn.Conv2d(in_channels, in_channels, 1), nn.ReLU(),
                                       nn.Conv2d(in_channels, channels, 1))
        if structure == 'tr':
            if num_tokens is None:
                raise ValueError("the 'tr' head needs num_tokens (tokens at its training resolution)")
            self.num_tokens = num_tokens
            self.query_pos = nn.Parameter(torch.randn(num_tokens, in_channels))
            self.self_attn = nn.MultiheadAttention(in_channels, 1, dropout=dropout)
            self.cross_attn = nn.MultiheadAttention(in_channels, 1, dropout=dropout)
            self.ffn_in = nn.Linear(in_channels, ffn_channels)
            self.ffn_dropout = nn.Dropout(dropout)
            self.ffn_out = nn.Linear(ffn_channels, in_channels)
            self.norm_self = nn.LayerNorm(in_channels)
            self.norm_cross = nn.LayerNorm(in_channels)
            self.norm_ffn = nn.LayerNorm(in_channels)
            self.dropout_self = nn.Dropout(dropout)
            self.dropout_cross = nn.Dropout(dropout)
            self.dropout_ffn = nn.Dropout(dropout)
            self.register_buffer('codebook', torch.zeros(num_codebook or 0, in_channels))

    def set_codebook(self, codebook):
        """Store the clusterbook ``(M, C)`` (TR queries); a no-op for the MLP head."""
        if self.structure == 'tr':
            self.codebook = codebook.detach().to(self.query_pos).clone()

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        # The stored clusterbook may have any size, and state dicts without one (converted
        # reference heads) keep the current one.
        key = prefix + 'codebook'
        if self.structure == 'tr':
            if key in state_dict:
                self.codebook = torch.empty_like(state_dict[key], device=self.codebook.device)
            else:
                state_dict[key] = self.codebook
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def mlp(self, feature_map):
        """``(B, C, h, w)`` -> ``(B, D, h, w)``, one dropout mask per branch."""
        return self.linear(self.dropout(feature_map)) + self.nonlinear(self.dropout(feature_map))

    def positions(self, grid):
        """``query_pos`` for a token grid ``(h, w)``: the table itself at the training grid, else
        bicubically resized like a ViT's position embeddings -> ``(h * w, C)``."""
        if grid[0] * grid[1] == self.num_tokens and grid[0] == grid[1]:
            return self.query_pos
        side = int(round(self.num_tokens ** 0.5))
        table = self.query_pos.T.reshape(1, -1, side, side)
        table = F.interpolate(table, size=grid, mode='bicubic', align_corners=False)
        return table.flatten(2)[0].T

    def decode(self, tokens, codebook, grid=None):
        """The TR decoder layer plus skip connection: ``(B, P, C)`` -> ``(B, P, C)``.

        ``grid``: the ``(h, w)`` layout of the tokens (default square); another grid than the
        training one gets resized query positions (:meth:`positions`)."""
        side = int(round(tokens.shape[1] ** 0.5))
        grid = tuple(grid) if grid is not None else (side, side)
        if grid[0] * grid[1] != tokens.shape[1]:
            raise ValueError(f'{tokens.shape[1]} tokens do not form a {grid} grid')
        if codebook is None or codebook.numel() == 0:
            raise ValueError('the TR head needs the clusterbook: pass codebook= or set_codebook()')
        query = quantize(tokens, codebook).transpose(0, 1)  # sequence-first (P, B, C)
        memory = tokens.transpose(0, 1)
        pos = self.positions(grid).unsqueeze(1)
        q = k = query + pos
        query = self.norm_self(query + self.dropout_self(self.self_attn(q, k, value=query)[0]))
        attended = self.cross_attn(query=query + pos, key=memory, value=memory)[0]
        query = self.norm_cross(query + self.dropout_cross(attended))
        ffn = self.ffn_out(self.ffn_dropout(F.relu(self.ffn_in(query))))
        query = memory + self.norm_ffn(query + self.dropout_ffn(ffn))
        return query.transpose(0, 1)

    def forward(self, tokens, codebook=None):
        if tokens.dim() == 4:  # feature map (B, C, h, w); the MLP also takes non-square maps
            if self.structure == 'mlp':
                return self.mlp(tokens)
            height, width = tokens.shape[-2:]
            codebook = self.codebook if codebook is None else codebook
            decoded = self.decode(map_to_tokens(tokens), codebook, (height, width))
            decoded = decoded.permute(0, 2, 1).reshape(decoded.shape[0], -1, height, width)
            return self.mlp(decoded)
        if self.structure == 'tr':
            tokens = self.decode(tokens, self.codebook if codebook is None else codebook)
        return map_to_tokens(self.mlp(tokens_to_map(tokens)))
