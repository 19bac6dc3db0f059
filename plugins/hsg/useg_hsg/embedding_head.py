"""HSG's pixel-embedding head ``conv_out`` (no ASPP)."""
from torch import nn

from useg.registry import MODELS


@MODELS.register_module()
class HSGEmbeddingHead(nn.Sequential):
    """1x1 conv (no bias) -> BN -> ReLU -> 1x1 conv (with bias): ``(B, C, h, w) -> (B, D, h, w)``.

    Convolutions use He-normal init (``std = sqrt(2 / (k * k * out))``), BN gamma 1 / beta 0.
    Accepts the last entry of a tuple of backbone outputs.

    Args:
        in_channels (int): backbone width (ResNet-50 res5: 2048).
        hidden_channels (int): 2048 in HSG.
        channels (int): embedding width D (128).
    """

    def __init__(self, in_channels=2048, hidden_channels=2048, channels=128):
        super().__init__(
            nn.Conv2d(in_channels, hidden_channels, 1, bias=False),
            nn.BatchNorm2d(hidden_channels), nn.ReLU(inplace=True),
            nn.Conv2d(hidden_channels, channels, 1, bias=True))
        for module in self.modules():
            if isinstance(module, nn.Conv2d):
                nn.init.kaiming_normal_(module.weight, mode='fan_out', nonlinearity='relu')
                if module.bias is not None:
                    nn.init.zeros_(module.bias)

    def forward(self, feats):
        if isinstance(feats, (list, tuple)):
            feats = feats[-1]
        return super().forward(feats)
