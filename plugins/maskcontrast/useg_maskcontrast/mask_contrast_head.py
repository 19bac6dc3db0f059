"""MaskContrast's decoder with its two 1x1 heads: a pixel embedding and a saliency logit."""
import torch.nn as nn
from mmengine.model import BaseModule

from useg.registry import MODELS


@MODELS.register_module()
class MaskContrastHead(BaseModule):
    """``feats (B, C, h, w)`` -> ``(features (B, 256, h, w), embedding (B, D, h, w),
    saliency logits (B, h, w))``.

    ``features`` is the decoder output the linear probe reads; ``embedding`` a 1x1 conv with bias
    (D=32 in the paper); the saliency head a 1x1 conv without bias.
    """

    def __init__(self, decoder, embedding_channels=32, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.decoder = MODELS.build(decoder)
        self.embedding_channels = embedding_channels
        self.embedding = nn.Conv2d(self.decoder.channels, embedding_channels, 1)
        self.saliency = nn.Conv2d(self.decoder.channels, 1, 1, bias=False)

    def forward(self, feats):
        features = self.decoder(feats)
        return features, self.embedding(features), self.saliency(features)[:, 0]
