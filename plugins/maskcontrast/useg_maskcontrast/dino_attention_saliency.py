"""Unsupervised saliency from a frozen DINO ViT's CLS attention (no saliency model needed)."""
import torch
import torch.nn.functional as F

from useg.pseudo_labels import BasePseudoLabeler
from useg.registry import MODELS, PSEUDO_LABELERS
from useg.utils import IGNORE_INDEX

from .saliency_postprocess import postprocess_saliency

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def attention_mass_mask(attention, mass):
    """``attention (B, N)`` -> bool ``(B, N)``: the fewest patches holding ``mass`` of the attention.

    DINO's thresholding of its attention maps: sort, normalise, keep the patches whose cumulative
    share (ascending) exceeds ``1 - mass``.
    """
    values, order = torch.sort(attention, dim=1)
    cumulative = torch.cumsum(values / values.sum(1, keepdim=True), dim=1)
    keep = torch.zeros_like(attention, dtype=torch.bool)
    return keep.scatter(1, order, cumulative > (1 - mass))


@PSEUDO_LABELERS.register_module()
class DINOAttentionSaliency(BasePseudoLabeler):
    """Saliency = patches holding ``mass`` of the head-averaged CLS attention of the last block.

    ``images (B, H, W, 3)`` uint8 RGB are ImageNet-normalised and resized to the nearest multiple
    of the patch size; the patch mask is nearest-upsampled to ``(H, W)`` and post-processed like
    the authors' masks (erase segments under 1%, drop masks under 1% -> all 255). This is a
    different prior from the paper's BASNet masks: report its numbers as their own setting.

    Args:
        backbone: ``DINOViT`` config (e.g. ``arch='dino_vits8'`` with its weights).
        mass: share of the attention mass kept (0.6 as in DINO's figures).
    """

    requires_features = False

    def __init__(self, backbone, mass=0.6):
        super().__init__()
        self.backbone_cfg = dict(backbone)
        self.backbone = MODELS.build(backbone)
        self.mass = mass

    @torch.no_grad()
    def saliency(self, images):
        """``images (B, H, W, 3)`` uint8 -> soft patch masks ``(B, H, W)`` of 0/1 (float)."""
        device = next(self.backbone.parameters()).device
        pixels = torch.as_tensor(images, device=device).permute(0, 3, 1, 2).float() / 255
        mean = pixels.new_tensor(IMAGENET_MEAN)[:, None, None]
        std = pixels.new_tensor(IMAGENET_STD)[:, None, None]
        height, width = pixels.shape[-2:]
        patch = self.backbone.patch_size
        size = (max(patch, round(height / patch) * patch), max(patch, round(width / patch) * patch))
        pixels = F.interpolate((pixels - mean) / std, size=size, mode='bilinear', align_corners=False)
        attention = self.backbone.forward_features(pixels, return_attention=True)['attention']
        keep = attention_mass_mask(attention.mean(1), self.mass).float()
        keep = keep.reshape(-1, 1, size[0] // patch, size[1] // patch)
        return F.interpolate(keep, size=(height, width), mode='nearest')[:, 0]

    def forward(self, feats, images):
        """``images (B, H, W, 3)`` uint8 RGB -> ``(B, H, W)`` uint8 (0/1; 255 = dropped image)."""
        maps = []
        for soft in self.saliency(images).cpu().numpy():
            mask = postprocess_saliency(soft)
            maps.append(torch.full(soft.shape, IGNORE_INDEX, dtype=torch.uint8) if mask is None
                        else torch.from_numpy(mask))
        return torch.stack(maps)

    def cache_params(self):
        return dict(super().cache_params(), backbone=self.backbone_cfg,
                    weights=getattr(self.backbone, 'weights_path', None))
