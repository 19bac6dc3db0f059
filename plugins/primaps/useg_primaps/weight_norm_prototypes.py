"""``WeightNormPrototypes``: PriMaPs' weight-normalised 1x1 convolution (student / teacher)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from useg.registry import MODELS


@MODELS.register_module()
class WeightNormPrototypes(BaseModule):
    """``K`` prototypes ``g_k * v_k / ||v_k||`` applied as a bias-free 1x1 conv to **raw** code.

    ``forward(code (B, C, h, w))`` -> logits ``(B, K, h, w)`` = ``g_k * cos(v_k, f) * ||f||``.
    Parameters ``weight_g (K, 1, 1, 1)`` (starts at 1) and ``weight_v (K, C, 1, 1)``, as
    ``torch.nn.utils.weight_norm(Conv2d(C, K, 1, bias=False), dim=0)``. ``num_clusters`` (= K)
    and ``in_channels`` (= C) name the shape as the core ``ClusterProbe`` does.
    """

    def __init__(self, in_channels, num_classes, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.in_channels = in_channels
        self.num_clusters = num_classes
        conv = nn.Conv2d(in_channels, num_classes, 1, bias=False)
        self.weight_v = nn.Parameter(conv.weight.detach().clone())
        self.weight_g = nn.Parameter(torch.ones(num_classes, 1, 1, 1))
        self.num_clusters = num_classes  # the cluster-probe contract (tools/infer.py palette)

    @property
    def weight(self):
        """Effective ``(K, C, 1, 1)`` weight."""
        norm = self.weight_v.flatten(1).norm(dim=1)[:, None, None, None]
        return self.weight_g * self.weight_v / norm

    def set_prototypes(self, prototypes):
        """``prototypes (K, C)`` -> ``weight_v``; ``weight_g`` reset to 1."""
        with torch.no_grad():
            self.weight_v.copy_(prototypes.reshape(self.weight_v.shape).to(self.weight_v))
            self.weight_g.fill_(1.0)

    def forward(self, code):
        return F.conv2d(code, self.weight)

    def log_probs(self, code, alpha=None):
        """``log_softmax`` of the logits ``(B, K, h, w)`` (no temperature: ``alpha`` is unused)."""
        return torch.log_softmax(self(code), dim=1)
