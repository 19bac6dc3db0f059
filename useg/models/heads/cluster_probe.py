"""Learnable cosine centroids: the unsupervised prediction of most methods."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from useg.registry import MODELS


def cosine_similarity_map(code, centroids):
    """``code (B, D, H, W)``, ``centroids (K, D)`` -> cosine similarity ``(B, K, H, W)``."""
    return torch.einsum('bchw,kc->bkhw', F.normalize(code, dim=1), F.normalize(centroids, dim=1))


def cluster_probe_loss(cosine, alpha=None):
    """The cluster-probe objective on cosines ``(B, K, H, W)`` -> ``(loss, probs)``.

    ``alpha=None``: hard one-hot assignment to the most similar centroid (spherical k-means, no
    gradient through the assignment); else ``softmax(alpha * cos)``. ``loss = -mean_{b,h,w}
    sum_k probs * cos``.
    """
    if alpha is None:
        probs = F.one_hot(cosine.argmax(1), cosine.shape[1]).permute(0, 3, 1, 2).to(cosine.dtype)
    else:
        probs = torch.softmax(alpha * cosine, dim=1)
    return -(probs * cosine).sum(1).mean(), probs


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
        return cosine_similarity_map(code, self.clusters)

    def forward(self, code, alpha=None):
        """Returns ``(loss, probs)``, ``probs (B, K, H, W)``: one-hot argmax when ``alpha`` is None
        (:func:`cluster_probe_loss`)."""
        return cluster_probe_loss(self.cosine(code), alpha)

    def set_prototypes(self, prototypes):
        """Copy ``prototypes (K, D)`` into the centroids (no gradient)."""
        with torch.no_grad():
            self.clusters.copy_(prototypes.reshape(self.clusters.shape).to(self.clusters))

    def log_probs(self, code, alpha=2.0):
        """``log_softmax(alpha * cos)`` ``(B, K, H, W)``: the CRF unaries at evaluation."""
        return torch.log_softmax(alpha * self.cosine(code), dim=1)
