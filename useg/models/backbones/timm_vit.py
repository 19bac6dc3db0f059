"""``TimmViT``: any timm ViT / Eva (iBOT, MAE, SigLIP, DINOv3 variants, ...) as a frozen
feature extractor, without code."""
import timm

from useg.registry import MODELS
from .checkpoint_io import ExpectedWeights, resolve_checkpoint
from .vit_backbone import ViTBackbone, parse_pretrained_init_cfg

TIMM_VIT_MODULES = ('vision_transformer', 'eva')


@MODELS.register_module()
class TimmViT(ViTBackbone):
    """A timm ``VisionTransformer`` / ``Eva`` by name, returning patch-token feature maps.

    ``dict(type='TimmViT', model_name='vit_base_patch16_224.mae', weights='weights/mae.pth')``:
    ``backbone(images (B, 3, H, W))`` -> ``(B, C, H / p, W / p)`` (block ``out_block``, after the
    final norm when ``final_norm``, prefix tokens dropped). Inputs of any size that is a multiple
    of the patch size (timm's ``dynamic_img_size``: absolute position embeddings resized by timm,
    RoPE computed for the grid).

    Args:
        model_name: a timm model name (``timm.list_models()``); a pretrained tag after the dot
            only names the HF copy suggested when the weights are missing.
        weights: weight file: timm ``model.safetensors``, ``'hf-hub:timm/<model>'`` already in the
            Hugging Face cache, or any layout the model family's timm converter reads (e.g. the
            official DINOv2 / DINOv3 files); None keeps timm's random init. Loaded strictly.
        frozen, out_block, final_norm: as :class:`~useg.models.backbones.DINOViT`.
        init_cfg: ``dict(type='Pretrained', checkpoint=PATH)`` is the same as ``weights=PATH``.
        **model_kwargs: overrides of timm's model kwargs (e.g. ``depth=1``).
    """

    def __init__(self, model_name, weights=None, frozen=True, out_block=-1, final_norm=True,
                 init_cfg=None, **model_kwargs):
        base_name = model_name.split('.')[0]
        if base_name not in timm.list_models():
            raise KeyError(f'{base_name!r} is not a timm model; see timm.list_models()')
        if not timm.models.is_model_in_modules(base_name, TIMM_VIT_MODULES):
            raise TypeError(f'{model_name!r} is not a timm ViT (modules {TIMM_VIT_MODULES}); '
                            f'TimmViT runs timm VisionTransformer and Eva models')
        expected = ExpectedWeights(files=(), page='https://huggingface.co/timm',
                                   hf_hub=f'timm/{model_name}' if '.' in model_name else '')
        if init_cfg is not None:
            if weights is not None:
                raise ValueError('TimmViT takes weights=PATH or init_cfg=Pretrained, not both')
            weights = parse_pretrained_init_cfg(init_cfg, 'TimmViT')
        checkpoint = None if weights is None else resolve_checkpoint(weights, expected)
        encoder = timm.create_model(base_name, pretrained=False, num_classes=0,
                                    dynamic_img_size=True, **model_kwargs)
        self.arch = model_name
        super().__init__(encoder, model_name, expected, checkpoint=checkpoint, frozen=frozen,
                         out_block=out_block, final_norm=final_norm, init_cfg=init_cfg)
