"""timm's VisionTransformer with DINO / DINOv2 position-embedding resizing and access to the
tokens, attention and keys of any block."""
import torch
from timm.models.vision_transformer import VisionTransformer

from .position_embedding import interpolate_patch_position_embedding


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
        if images.dim() != 4:
            raise ValueError(f'expected images (B, C, H, W), got shape {tuple(images.shape)}')
        height, width = images.shape[-2:]
        if height % self.patch_size or width % self.patch_size:
            raise ValueError(f'input size {height}x{width} is not a multiple of the patch size '
                             f'{self.patch_size}; resize or crop to e.g. '
                             f'{height // self.patch_size * self.patch_size}x'
                             f'{width // self.patch_size * self.patch_size}')

    def block_tokens(self, images, block_index, return_attention=False, return_keys=False):
        """Run the network up to and including block ``block_index``.

        Args:
            images: ``(B, 3, H, W)``, sides multiples of the patch size.
            block_index: index into ``self.blocks`` (negative counts from the end).

        Returns:
            dict with ``tokens (B, T, C)`` (the block's output, before the final norm) and, when
            asked, ``attention (B, heads, T)`` (that block's CLS-query attention over all tokens,
            softmaxed) and ``keys (B, heads, T, head_dim)`` (that block's keys).
        """
        self.check_input_size(images)
        num_blocks = range(len(self.blocks))[block_index] + 1
        x = self.norm_pre(self.patch_drop(self._pos_embed(self.patch_embed(images))))
        for block in self.blocks[:num_blocks - 1]:
            x = block(x)
        last = self.blocks[num_blocks - 1]
        outputs = {}
        if return_attention or return_keys:
            queries, keys = self._queries_and_keys(last, x)
            if return_attention:
                scores = (queries[:, :, :1] @ keys.transpose(-2, -1)) * last.attn.scale
                outputs['attention'] = scores.float().softmax(dim=-1)[:, :, 0]
            if return_keys:
                outputs['keys'] = keys
        outputs['tokens'] = last(x)
        return outputs

    @staticmethod
    def _queries_and_keys(block, x):
        """Block input ``(B, T, C)`` -> queries and keys, each ``(B, heads, T, head_dim)``."""
        attn = block.attn
        batch, num_tokens, _ = x.shape
        qkv = attn.qkv(block.norm1(x)).reshape(batch, num_tokens, 3, attn.num_heads,
                                               attn.head_dim).permute(2, 0, 3, 1, 4)
        queries, keys, _ = qkv.unbind(0)
        return attn.q_norm(queries), attn.k_norm(keys)
