"""``DINOViT``: the frozen DINO / DINOv2 feature extractor every ViT-based method stands on."""
from mmengine.model import BaseModule

from useg.registry import MODELS
from .checkpoint_io import (ExpectedWeights, load_state_dict_strictly, read_checkpoint,
                            resolve_checkpoint)
from .dino_vision_transformer import DINOVisionTransformer
from .frozen import FrozenMixin
from .vit_archs import resolve_vit_arch
from .vit_weights import convert_vit_state_dict


def parse_pretrained_init_cfg(init_cfg, owner):
    """``dict(type='Pretrained', checkpoint=PATH)`` -> PATH (anything else is an error)."""
    if not isinstance(init_cfg, dict) or init_cfg.get('type') != 'Pretrained' \
            or set(init_cfg) != {'type', 'checkpoint'}:
        raise ValueError(f"{owner} takes init_cfg=dict(type='Pretrained', checkpoint=PATH) or "
                         f'None (random weights), got {init_cfg!r}')
    return init_cfg['checkpoint']


@MODELS.register_module()
class DINOViT(FrozenMixin, BaseModule):
    """DINO / DINOv2 ViT on timm's VisionTransformer returning patch-token feature maps.

    ``backbone(images (B, 3, H, W))`` -> ``(B, C, H / p, W / p)``: the patch tokens of block
    ``out_block`` (default: the last), after the final LayerNorm when ``final_norm`` -- the
    features STEGO, SmooSeg and PriMaPs use. H and W must be multiples of the patch size ``p``;
    position embeddings are resized exactly as the original DINO / DINOv2 code does.

    Args:
        arch: a name in :data:`~useg.models.backbones.vit_archs.VIT_ARCHS` (``dino_vits8``,
            ``dino_vitb8``, ``dinov2_vitb14``, ..., ``vit_tiny_p8``) or a dict of timm
            VisionTransformer kwargs (plus optional ``interpolation=dict(offset, antialias)``).
        init_cfg: ``dict(type='Pretrained', checkpoint=PATH)`` loads an official DINO / DINOv2
            file, a timm / Hugging Face file (``'hf-hub:timm/...'`` when cached) or a useg
            checkpoint, strictly, at construction; ``None`` keeps timm's random init.
        frozen: no gradients, no trainable parameters, always in eval mode.
        out_block: index of the block whose output is returned (negative: from the end).
        final_norm: apply the model's final LayerNorm to that output.
    """

    def __init__(self, arch, init_cfg=None, frozen=True, out_block=-1, final_norm=True):
        super().__init__(init_cfg=init_cfg)
        spec = resolve_vit_arch(arch)
        self.arch = arch
        self.expected_weights = ExpectedWeights(
            files=((spec.weights_file, spec.weights_url), ) * bool(spec.weights_file) +
            tuple((name, spec.weights_page) for name in spec.other_files),
            page=spec.weights_page, hf_hub=spec.hf_hub)
        checkpoint = None
        vit_kwargs = dict(spec.vit_kwargs)
        if init_cfg is not None:
            # Fail before building the network, and skip timm's random init the file overwrites.
            checkpoint = resolve_checkpoint(parse_pretrained_init_cfg(init_cfg, 'DINOViT'),
                                            self.expected_weights)
            vit_kwargs['weight_init'] = 'skip'
        self.encoder = DINOVisionTransformer(spec.interpolation, **vit_kwargs)
        depth = len(self.encoder.blocks)
        if not -depth <= out_block < depth:
            raise ValueError(f'out_block={out_block} is outside the {depth} blocks of {arch!r}')
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
        return self.encoder.patch_size

    @property
    def embed_dim(self):
        return self.encoder.embed_dim

    @property
    def num_heads(self):
        return self.encoder.blocks[0].attn.num_heads

    def init_weights(self):
        """No-op: the weights are final after construction (random init or the loaded file)."""

    def load_weights(self, checkpoint):
        """Strictly load a weight file (see :func:`convert_vit_state_dict` for the layouts)."""
        path = resolve_checkpoint(checkpoint, self.expected_weights)
        state_dict = convert_vit_state_dict(read_checkpoint(path))
        load_state_dict_strictly(self.encoder, state_dict, f'{path} (arch {self.arch!r})')
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
          concatenated along C.
        """
        with self.grad_context():
            outputs = self.encoder.block_tokens(images, self.out_block, return_attention,
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
                result['keys'] = keys.reshape(batch, channels, height, width)
            return result
