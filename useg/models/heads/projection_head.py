"""Trainable projection from frozen backbone features to a low-dimensional code (STEGO-style)."""
import torch.nn as nn
from mmcv.cnn import build_activation_layer
from mmengine.model import BaseModule

from useg.registry import MODELS


@MODELS.register_module()
class ProjectionHead(BaseModule):
    """``code = linear(drop(f)) + nonlinear(drop(f))``, each branch with its own dropout mask.

    Args:
        in_channels: backbone channels ``C``.
        channels: code dimension ``D``.
        dropout: ``Dropout2d`` probability (whole channels); 0 disables it.
        linear: use the 1x1 linear branch.
        nonlinear: use the 1x1 conv -> activation -> 1x1 conv branch (hidden width ``C``).
        activation: activation config of the nonlinear branch (``ReLU`` for STEGO, ``SiLU`` for SmooSeg).
    """

    def __init__(self, in_channels, channels, dropout=0.1, linear=True, nonlinear=True,
                 activation=dict(type='ReLU'), init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if not (linear or nonlinear):
            raise ValueError('ProjectionHead needs at least one of linear / nonlinear branches')
        self.in_channels = in_channels
        self.channels = channels
        self.dropout = nn.Dropout2d(dropout)
        self.linear = nn.Conv2d(in_channels, channels, 1) if linear else None
        self.nonlinear = nn.Sequential(
            nn.Conv2d(in_channels, in_channels, 1), build_activation_layer(activation),
            nn.Conv2d(in_channels, channels, 1)) if nonlinear else None

    def forward(self, feats):
        """``feats (B, C, h, w)`` -> code ``(B, D, h, w)`` (not normalised)."""
        code = 0
        if self.linear is not None:
            code = self.linear(self.dropout(feats))
        if self.nonlinear is not None:
            code = code + self.nonlinear(self.dropout(feats))
        return code

    def dropout_features(self, feats):
        """One more independent channel dropout of ``feats`` (the correlation "signal")."""
        return self.dropout(feats)
