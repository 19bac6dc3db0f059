"""``DINOViT``: the frozen DINO / DINOv2 / DINOv3 feature extractor every ViT-based method
stands on."""
import timm

from useg.registry import MODELS
from .checkpoint_io import ExpectedWeights, resolve_checkpoint
from .dino_vision_transformer import DINOVisionTransformer
from .vit_archs import resolve_vit_arch
from .vit_backbone import ViTBackbone, parse_pretrained_init_cfg
from .vit_weights import convert_vit_state_dict


@MODELS.register_module()
class DINOViT(ViTBackbone):
    """DINO / DINOv2 ViT (timm's VisionTransformer) or DINOv3 ViT (timm's Eva with RoPE)
    returning patch-token feature maps.

    ``backbone(images (B, 3, H, W))`` -> ``(B, C, H / p, W / p)``: the patch tokens of block
    ``out_block`` (default: the last), after the final LayerNorm when ``final_norm`` -- the
    features STEGO, SmooSeg and PriMaPs use; class and register tokens dropped. H and W must be
    multiples of the patch size ``p``; DINO / DINOv2 position embeddings are resized exactly as
    the original code does, DINOv3 (RoPE) needs no resizing.

    Args:
        arch: a name in :data:`~useg.models.backbones.vit_archs.VIT_ARCHS` (``dino_vits8``,
            ``dino_vitb8``, ``dinov2_vitb14``, ``dinov3_vitb16``, ..., ``vit_tiny_p8``,
            ``vit_tiny_dinov3``), a dict of timm VisionTransformer kwargs (plus optional
            ``interpolation=dict(offset, antialias)``) or ``dict(timm_model=NAME, **overrides)``.
        init_cfg: ``dict(type='Pretrained', checkpoint=PATH)`` loads an official DINO / DINOv2 /
            DINOv3 file, a timm / Hugging Face file (``'hf-hub:timm/...'`` when cached) or a useg
            checkpoint, strictly, at construction; ``None`` keeps timm's random init.
        frozen: no gradients, no trainable parameters, always in eval mode.
        out_block: index of the block whose output is returned (negative: from the end).
        final_norm: apply the model's final LayerNorm to that output.
    """

    def __init__(self, arch, init_cfg=None, frozen=True, out_block=-1, final_norm=True):
        spec = resolve_vit_arch(arch)
        expected = ExpectedWeights(
            files=((spec.weights_file, spec.weights_url), ) * bool(spec.weights_file) +
            tuple((name, spec.weights_page) for name in spec.other_files),
            page=spec.weights_page, hf_hub=spec.hf_hub)
        checkpoint = None
        if init_cfg is not None:
            # Fail before building the network.
            checkpoint = resolve_checkpoint(parse_pretrained_init_cfg(init_cfg, 'DINOViT'),
                                            expected)
        if spec.timm_model:
            encoder = timm.create_model(spec.timm_model, pretrained=False, num_classes=0,
                                        dynamic_img_size=True, **spec.vit_kwargs)
        else:
            # Skip timm's random init when a file overwrites it.
            skip_init = dict(weight_init='skip') if checkpoint is not None else {}
            encoder = DINOVisionTransformer(spec.interpolation,
                                            **dict(spec.vit_kwargs, **skip_init))
        self.arch = arch
        super().__init__(encoder, arch, expected, checkpoint=checkpoint, frozen=frozen,
                         out_block=out_block, final_norm=final_norm, init_cfg=init_cfg)

    def convert_weights(self, checkpoint):
        """DINO / DINOv2 layouts (:func:`convert_vit_state_dict`); DINOv3 and other timm models
        through timm's converter (:func:`convert_timm_state_dict`)."""
        if isinstance(self.encoder, DINOVisionTransformer):
            return convert_vit_state_dict(checkpoint)
        return super().convert_weights(checkpoint)
