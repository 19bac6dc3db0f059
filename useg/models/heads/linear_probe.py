"""Supervised linear probe on detached codes: a diagnostic, never a training signal for the head."""
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from useg.registry import MODELS


@MODELS.register_module()
class LinearProbe(BaseModule):
    """A 1x1 convolution from code ``(B, D, h, w)`` to class logits ``(B, num_classes, h, w)``."""

    def __init__(self, in_channels, num_classes, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.num_classes = num_classes
        self.conv = nn.Conv2d(in_channels, num_classes, 1)

    def forward(self, code):
        return self.conv(code)

    def loss(self, logits, labels):
        """Cross-entropy of ``logits`` bilinearly upsampled to ``labels (B, H, W)``.

        Only pixels with ``0 <= label < num_classes`` count (255, -1, out-of-protocol ids are ignored).
        """
        logits = F.interpolate(logits, size=labels.shape[-2:], mode='bilinear', align_corners=False)
        logits = logits.permute(0, 2, 3, 1).reshape(-1, self.num_classes)
        labels = labels.reshape(-1)
        valid = (labels >= 0) & (labels < self.num_classes)
        if not valid.any():
            return logits.sum() * 0.0
        return F.cross_entropy(logits[valid], labels[valid].long())
