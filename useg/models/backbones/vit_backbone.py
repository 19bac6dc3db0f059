"""What every ViT backbone of useg computes: patch-token feature maps of one block of a timm ViT."""
from mmengine.model import BaseModule

from .checkpoint_io import load_state_dict_strictly, read_checkpoint, resolve_checkpoint
from .frozen import FrozenMixin
from .timm_weights import convert_timm_state_dict
from .vit_tokens import block_tokens


def parse_pretrained_init_cfg(init_cfg, owner):
    """``dict(type='Pretrained', checkpoint=PATH)`` -> PATH (anything else is an error)."""
    if not isinstance(init_cfg, dict) or init_cfg.get('type') != 'Pretrained' \
            or set(init_cfg) != {'type', 'checkpoint'}:
        raise ValueError(f"{owner} takes init_cfg=dict(type='Pretrained', checkpoint=PATH) or "
                         f'None (random weights), got {init_cfg!r}')
    return init_cfg['checkpoint']


class ViTBackbone(FrozenMixin, BaseModule):
    """A timm ``VisionTransformer`` / ``Eva`` (``self.encoder``) returning patch-token maps.

    ``backbone(images (B, 3, H, W))`` -> ``(B, C, H / p, W / p)``: the patch tokens of block
    ``out_block``, after the final norm when ``final_norm``, every prefix token (class,
    registers) dropped. Subclasses build ``encoder``; :meth:`convert_weights` maps a weight
    file's keys to it (default: timm's converter of the model family, see :mod:`.timm_weights`).

    Args:
        encoder: the timm model (no classifier).
        name: what the messages call it (arch or timm model name).
        expected_weights: :class:`~useg.models.backbones.checkpoint_io.ExpectedWeights`.
        checkpoint: weight file (already resolved) or None for the encoder's random init.
        frozen: no gradients, no trainable parameters, always in eval mode.
        out_block: index of the block whose output is returned (negative: from the end).
        final_norm: apply the model's final norm to that output.
    """

    def __init__(self, encoder, name, expected_weights, checkpoint=None, frozen=True,
                 out_block=-1, final_norm=True, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.encoder = encoder
        self.expected_weights = expected_weights
        depth = len(encoder.blocks)
        if not -depth <= out_block < depth:
            raise ValueError(f'out_block={out_block} is outside the {depth} blocks of {name!r}')
        self.name = name
        self.out_block = out_block
        self.final_norm = final_norm
        self.frozen = frozen
        self.weights_path = None
        if checkpoint is not None:
            self.load_weights(checkpoint)
        if frozen:
            self.freeze()
        # Weights are final (timm's random init or the file): a later init_weights() must not
        # re-initialise the timm modules.
        self._is_init = True

    @property
    def patch_size(self):
        return self.encoder.patch_embed.patch_size[0]

    @property
    def embed_dim(self):
        return self.encoder.embed_dim

    @property
    def num_heads(self):
        return self.encoder.blocks[0].attn.num_heads

    def init_weights(self):
        """No-op: the weights are final after construction (random init or the loaded file)."""

    def convert_weights(self, checkpoint):
        """Checkpoint dict as read from disk -> ``{key of encoder.state_dict(): tensor}``."""
        return convert_timm_state_dict(checkpoint, self.encoder)

    def load_weights(self, checkpoint):
        """Strictly load a weight file (a missing, unexpected or mis-shaped key is an error)."""
        path = resolve_checkpoint(checkpoint, self.expected_weights)
        state_dict = self.convert_weights(read_checkpoint(path))
        load_state_dict_strictly(self.encoder, state_dict, f'{path} (arch {self.name!r})')
        self.weights_path = path

    def forward(self, images):
        """``images (B, 3, H, W)`` -> features ``(B, C, H / p, W / p)``."""
        return self.forward_features(images)['feats']

    def forward_features(self, images, return_attention=False, return_keys=False):
        """``images (B, 3, H, W)`` -> dict with

        * ``feats (B, C, h, w)``: patch tokens of block ``out_block`` (final norm per config);
        * ``attention (B, heads, h * w)`` if asked: that block's CLS-query attention on the patch
          tokens (softmaxed over all tokens, prefix columns dropped);
        * ``keys (B, C, h, w)`` if asked: that block's keys of the patch tokens, heads
          concatenated along C (before RoPE for RoPE models).
        """
        with self.grad_context():
            outputs = block_tokens(self.encoder, images, self.out_block, return_attention,
                                   return_keys)
            height, width = (side // self.patch_size for side in images.shape[-2:])
            prefix = self.encoder.num_prefix_tokens
            tokens = outputs['tokens']
            if self.final_norm:
                tokens = self.encoder.norm(tokens)
            batch, _, channels = tokens.shape
            result = dict(feats=tokens[:, prefix:].transpose(1, 2).reshape(
                batch, channels, height, width))
            if return_attention:
                result['attention'] = outputs['attention'][:, :, prefix:]
            if return_keys:
                keys = outputs['keys'][:, :, prefix:].permute(0, 1, 3, 2)
                result['keys'] = keys.reshape(batch, -1, height, width)
            return result
