"""DeepLab-v3 decoder without its classifier (torchvision's ``DeepLabHead`` minus the last conv)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmseg.models.decode_heads.aspp_head import ASPPModule

from useg.registry import MODELS


@MODELS.register_module()
class DeepLabV3Decoder(BaseModule):
    """ASPP (1x1, three dilated 3x3, image pooling; conv-BN-ReLU each) -> 1x1 projection with
    BN, ReLU and Dropout -> 3x3 conv-BN-ReLU.

    ``(B, in_channels, h, w)`` -> ``(B, channels, h, w)``. Branch order (1x1, dilations, pooling)
    follows torchvision so that the reference's checkpoints map one to one.
    """

    def __init__(self, in_channels=2048, channels=256, dilations=(12, 24, 36), dropout=0.5,
                 norm_cfg=dict(type='BN'), act_cfg=dict(type='ReLU'), init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.channels = channels
        self.aspp = ASPPModule((1, ) + tuple(dilations), in_channels, channels, conv_cfg=None,
                               norm_cfg=norm_cfg, act_cfg=act_cfg)
        self.image_pool = nn.Sequential(
            nn.AdaptiveAvgPool2d(1),
            ConvModule(in_channels, channels, 1, norm_cfg=norm_cfg, act_cfg=act_cfg))
        self.project = ConvModule((len(dilations) + 2) * channels, channels, 1, norm_cfg=norm_cfg,
                                  act_cfg=act_cfg)
        self.dropout = nn.Dropout(dropout)
        self.bottleneck = ConvModule(channels, channels, 3, padding=1, norm_cfg=norm_cfg,
                                     act_cfg=act_cfg)

    def forward(self, feats):
        pooled = F.interpolate(self.image_pool(feats), size=feats.shape[-2:], mode='bilinear',
                               align_corners=False)
        branches = torch.cat(self.aspp(feats) + [pooled], dim=1)
        return self.bottleneck(self.dropout(self.project(branches)))
