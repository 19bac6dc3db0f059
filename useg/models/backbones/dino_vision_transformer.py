"""timm's VisionTransformer with DINO / DINOv2 position-embedding resizing and access to the
tokens, attention and keys of any block."""
import torch
from timm.models.vision_transformer import VisionTransformer

from .position_embedding import interpolate_patch_position_embedding
from .vit_tokens import block_tokens, check_input_size


class DINOVisionTransformer(VisionTransformer):
    """A classifier-free timm ``VisionTransformer`` that accepts any input whose sides are
    multiples of the patch size and resizes its position embeddings the way the original DINO /
    DINOv2 code does (see :mod:`.position_embedding`).

    State-dict keys are timm's (``cls_token``, ``pos_embed``, ``patch_embed.proj.*``,
    ``blocks.N.*``, ``norm.*``, ``reg_token``); attention runs through timm's fused
    ``scaled_dot_product_attention``.

    Args:
        interpolation: :class:`~useg.models.backbones.vit_archs.PositionInterpolation`.
        **vit_kwargs: timm ``VisionTransformer`` kwargs (``img_size`` = pre-training size).
    """

    def __init__(self, interpolation, **vit_kwargs):
        super().__init__(num_classes=0, global_pool='', dynamic_img_size=True, **vit_kwargs)
        self.interpolation = interpolation

    @property
    def patch_size(self):
        return self.patch_embed.patch_size[0]

    def _pos_embed(self, x):
        """Patch embeddings ``(B, h, w, C)`` -> tokens ``(B, prefix + h * w, C)``."""
        batch, height, width, channels = x.shape
        x = x.reshape(batch, height * width, channels)
        embedded_prefix = 0 if self.no_embed_class else self.num_prefix_tokens
        patch_pos = interpolate_patch_position_embedding(
            self.pos_embed[:, embedded_prefix:], self.patch_embed.grid_size, (height, width),
            self.interpolation)
        prefix = [token.expand(batch, -1, -1) for token in (self.cls_token, self.reg_token)
                  if token is not None]
        if self.no_embed_class:
            x = torch.cat(prefix + [x + patch_pos], dim=1)
        else:
            pos = torch.cat([self.pos_embed[:, :embedded_prefix], patch_pos], dim=1)
            x = torch.cat(prefix + [x], dim=1) + pos
        return self.pos_drop(x)

    def check_input_size(self, images):
        """Raise ``ValueError`` unless ``images (B, 3, H, W)`` has sides divisible by the patch."""
        check_input_size(images, self.patch_size)

    def block_tokens(self, images, block_index, return_attention=False, return_keys=False):
        """Tokens (and optionally CLS attention / keys) of block ``block_index``; see
        :func:`~useg.models.backbones.vit_tokens.block_tokens`."""
        return block_tokens(self, images, block_index, return_attention, return_keys)
