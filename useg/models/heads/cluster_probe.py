"""Learnable cosine centroids: the unsupervised prediction of most methods."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from useg.registry import MODELS


@MODELS.register_module()
class ClusterProbe(BaseModule):
    """``K`` learnable centroids in code space, scored by cosine similarity.

    Training (``alpha=None``): hard assignment, ``loss = -mean_{b,h,w} max_k cos`` (spherical
    k-means). Evaluation: ``softmax(alpha * cos)`` over clusters.
    """

    def __init__(self, in_channels, num_clusters, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.num_clusters = num_clusters
        self.clusters = nn.Parameter(torch.randn(num_clusters, in_channels))

    def cosine(self, code):
        """``code (B, D, H, W)`` -> cosine similarity to every centroid ``(B, K, H, W)``."""
        return torch.einsum('bchw,kc->bkhw', F.normalize(code, dim=1),
                            F.normalize(self.clusters, dim=1))

    def forward(self, code, alpha=None):
        """Returns ``(loss, probs)``, ``probs (B, K, H, W)``: one-hot argmax when ``alpha`` is None."""
        inner = self.cosine(code)
        if alpha is None:
            probs = F.one_hot(inner.argmax(1), self.num_clusters).permute(0, 3, 1, 2).to(inner.dtype)
        else:
            probs = torch.softmax(alpha * inner, dim=1)
        loss = -(probs * inner).sum(1).mean()
        return loss, probs

    def log_probs(self, code, alpha=2.0):
        """``log_softmax(alpha * cos)`` ``(B, K, H, W)``: the CRF unaries at evaluation."""
        return torch.log_softmax(alpha * self.cosine(code), dim=1)
