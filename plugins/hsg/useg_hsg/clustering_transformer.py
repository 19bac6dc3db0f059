"""Clustering transformer: groups segment tokens into K soft clusters (HSG section 5)."""
import copy
import math

import torch
import torch.nn.functional as F
from torch import nn

from useg.registry import MODELS
from .masked_batch_norm import MaskedBatchNorm1d


def _with_position(x, position):
    return x if position is None else x + position


class _FeedForward(nn.Module):

    def __init__(self, dim, hidden, dropout):
        super().__init__()
        self.linear1 = nn.Linear(dim, hidden)
        self.linear2 = nn.Linear(hidden, dim)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        return self.linear2(self.dropout(F.relu(self.linear1(x))))


class EncoderLayer(nn.Module):
    """Post-norm self-attention layer; positions are added to queries and keys only."""

    def __init__(self, dim, heads, hidden, dropout):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(dim, heads, dropout=dropout)
        self.ffn = _FeedForward(dim, hidden, dropout)
        self.norm1 = MaskedBatchNorm1d(dim)
        self.norm2 = MaskedBatchNorm1d(dim)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)

    def forward(self, src, padding_mask, position):
        """``src`` ``(N, B, C)``; ``padding_mask`` ``(B, N)`` or None; ``position`` like src."""
        valid = None if padding_mask is None else ~padding_mask.t()
        query = key = _with_position(src, position)
        attended = self.self_attn(query, key, value=src, key_padding_mask=padding_mask)[0]
        src = self.norm1(src + self.dropout1(attended), valid)
        return self.norm2(src + self.dropout2(self.ffn(src)), valid)


class DecoderLayer(nn.Module):
    """Post-norm DETR decoder layer (self-attention, cross-attention, FFN)."""

    def __init__(self, dim, heads, hidden, dropout):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(dim, heads, dropout=dropout)
        self.cross_attn = nn.MultiheadAttention(dim, heads, dropout=dropout)
        self.ffn = _FeedForward(dim, hidden, dropout)
        self.norm1 = MaskedBatchNorm1d(dim)
        self.norm2 = MaskedBatchNorm1d(dim)
        self.norm3 = MaskedBatchNorm1d(dim)
        self.dropout1 = nn.Dropout(dropout)
        self.dropout2 = nn.Dropout(dropout)
        self.dropout3 = nn.Dropout(dropout)

    def forward(self, target, memory, padding_mask, position, query_position):
        """``target`` ``(K, B, C)``, ``memory`` ``(N, B, C)``."""
        query = key = _with_position(target, query_position)
        target = self.norm1(target + self.dropout1(self.self_attn(query, key, value=target)[0]))
        attended = self.cross_attn(_with_position(target, query_position),
                                   _with_position(memory, position), value=memory,
                                   key_padding_mask=padding_mask)[0]
        target = self.norm2(target + self.dropout2(attended))
        return self.norm3(target + self.dropout3(self.ffn(target)))


class _CentroidHead(nn.Sequential):
    """ReLU -> Linear(C, C, no bias) -> BatchNorm1d over the ``B * K`` centroid rows."""

    def __init__(self, dim):
        super().__init__(nn.ReLU(), nn.Linear(dim, dim, bias=False), nn.BatchNorm1d(dim))


@MODELS.register_module()
class ClusteringTransformer(nn.Module):
    """DETR-style encoder-decoder whose K queries become cluster centroids.

    BatchNorm replaces LayerNorm everywhere (statistics over valid tokens only, see
    :class:`MaskedBatchNorm1d`); the decoder input is an MLP of the mean and std of the encoder
    memory over valid tokens; assignment logits are ``centroids^T memory / sqrt(C)``, with the
    queries reordered by their maximum logit over valid tokens.

    Args:
        num_clusters (int): K (HSG: 8 fine, 4 coarse).
        dim (int): token width C (128).
        heads (int): attention heads (4).
        num_encoder_layers (int), num_decoder_layers (int): 2 and 2.
        feedforward_dim (int): FFN and target-MLP width (256).
        dropout (float): 0.1.
    """

    def __init__(self, num_clusters, dim=128, heads=4, num_encoder_layers=2,
                 num_decoder_layers=2, feedforward_dim=256, dropout=0.1):
        super().__init__()
        self.num_clusters = num_clusters
        encoder_layer = EncoderLayer(dim, heads, feedforward_dim, dropout)
        decoder_layer = DecoderLayer(dim, heads, feedforward_dim, dropout)
        self.encoder_layers = nn.ModuleList(
            copy.deepcopy(encoder_layer) for _ in range(num_encoder_layers))
        self.decoder_layers = nn.ModuleList(
            copy.deepcopy(decoder_layer) for _ in range(num_decoder_layers))
        self.decoder_norm = MaskedBatchNorm1d(dim)
        self.target_mlp = nn.Sequential(
            nn.Linear(2 * dim, feedforward_dim, bias=False), nn.BatchNorm1d(feedforward_dim),
            nn.ReLU(inplace=True), nn.Linear(feedforward_dim, dim))
        for module in (self.encoder_layers, self.decoder_layers, self.target_mlp):
            for parameter in module.parameters():
                if parameter.dim() > 1:
                    nn.init.xavier_uniform_(parameter)
        self.query_embed = nn.Embedding(num_clusters, dim)
        self.centroid_fc = _CentroidHead(dim)
        self.centroid_feat_fc = _CentroidHead(dim)

    @staticmethod
    def _memory_statistics(memory, padding_mask):
        """Mean and population std ``(B, C)`` of ``memory`` ``(N, B, C)`` over valid tokens."""
        if padding_mask is None:
            return memory.mean(0), memory.var(0, unbiased=False).sqrt()
        weights = (~padding_mask).t().unsqueeze(-1).to(memory.dtype)       # (N, B, 1)
        counts = weights.sum(0).clamp(min=1)
        mean = (memory * weights).sum(0) / counts
        variance = ((memory - mean) ** 2 * weights).sum(0) / counts
        return mean, variance.sqrt()

    def forward(self, tokens, padding_mask=None, position=None):
        """Cluster the tokens of every image.

        Args:
            tokens (Tensor): ``(B, C, N)``.
            padding_mask (Tensor, optional): bool ``(B, N)``, True on padded tokens.
            position (Tensor, optional): positional codes ``(B, C, N)``.

        Returns:
            dict: ``centroids`` and ``centroid_features`` ``(B, C, K)``, ``logits`` ``(B, K, N)``,
            ``memory`` ``(B, C, N)``.
        """
        batch, dim, _ = tokens.shape
        src = tokens.permute(2, 0, 1)
        position = None if position is None else position.permute(2, 0, 1)
        for layer in self.encoder_layers:
            src = layer(src, padding_mask, position)
        memory = src
        mean, std = self._memory_statistics(memory, padding_mask)
        target = self.target_mlp(torch.cat([mean, std], dim=-1))
        target = target.unsqueeze(0).expand(self.num_clusters, -1, -1)
        query_position = self.query_embed.weight.unsqueeze(1).expand(-1, batch, -1)
        for layer in self.decoder_layers:
            target = layer(target, memory, padding_mask, position, query_position)
        decoded = self.decoder_norm(target).transpose(0, 1).reshape(-1, dim)   # (B*K, C)
        centroids = self.centroid_fc(decoded).view(batch, self.num_clusters, dim)
        centroid_features = self.centroid_feat_fc(decoded).view(batch, self.num_clusters, dim)
        memory = memory.permute(1, 2, 0)                                       # (B, C, N)
        logits = torch.bmm(centroids, memory) / math.sqrt(dim)                 # (B, K, N)
        ranking = logits if padding_mask is None else \
            logits.masked_fill(padding_mask.unsqueeze(1), float('-inf'))
        order = ranking.max(-1).values.topk(self.num_clusters, dim=-1).indices  # (B, K)
        return dict(
            centroids=centroids.gather(1, order.unsqueeze(-1).expand(-1, -1, dim)).transpose(1, 2),
            centroid_features=centroid_features.gather(
                1, order.unsqueeze(-1).expand(-1, -1, dim)).transpose(1, 2),
            logits=logits.gather(1, order.unsqueeze(-1).expand(-1, -1, logits.shape[-1])),
            memory=memory)
