"""The DINO / DINOv2 / DINOv3 ViT architectures useg knows, with their official weight files.

DINO / DINOv2 entries give the timm ``VisionTransformer`` kwargs of the released model
(``img_size`` is the pre-training resolution, i.e. the size of the stored position-embedding
grid) and how the original code resizes position embeddings to other inputs. DINOv3 entries name
timm's model (``Eva`` with RoPE, class token + 4 registers; any input size, nothing to resize)
and optional overrides of its kwargs. Each entry names the file the authors publish.
"""
from dataclasses import dataclass, field

DINO_PAGE = 'https://github.com/facebookresearch/dino#pretrained-models'
DINOV2_PAGE = 'https://github.com/facebookresearch/dinov2#pretrained-models'
DINOV3_PAGE = ('https://github.com/facebookresearch/dinov3#pretrained-models (download links '
               'after accepting the DINOv3 License at '
               'https://ai.meta.com/resources/models-and-libraries/dinov3-downloads/)')


@dataclass(frozen=True)
class PositionInterpolation:
    """How the original code resizes the position-embedding grid to another input size.

    ``offset`` > 0: bicubic with ``scale_factor = (n_new + offset) / n_old`` (DINO, DINOv2);
    ``offset`` = 0: bicubic to the exact target size (DINOv2 with registers).
    """
    offset: float = 0.1
    antialias: bool = False


@dataclass(frozen=True)
class ViTArch:
    """One architecture: VisionTransformer kwargs (or timm model name + overrides),
    interpolation rule and official weights."""
    vit_kwargs: dict
    interpolation: PositionInterpolation = field(default_factory=PositionInterpolation)
    weights_file: str = ''
    weights_url: str = ''
    weights_page: str = ''
    other_files: tuple = ()
    hf_hub: str = ''
    timm_model: str = ''


def _dino(patch, embed_dim, heads, file, other_files=()):
    size = 'small' if embed_dim == 384 else 'base'
    return ViTArch(
        vit_kwargs=dict(img_size=224, patch_size=patch, embed_dim=embed_dim, depth=12,
                        num_heads=heads),
        weights_file=file,
        weights_url=f'https://dl.fbaipublicfiles.com/dino/{file[:-len(".pth")]}/{file}',
        weights_page=DINO_PAGE, other_files=other_files,
        hf_hub=f'timm/vit_{size}_patch{patch}_224.dino')


def _dinov2(size, embed_dim, depth, heads, registers=False):
    name = f'dinov2_vit{size}14' + ('_reg4' if registers else '')
    timm_size = {'s': 'small', 'b': 'base', 'l': 'large'}[size]
    timm_name = f'vit_{timm_size}_patch14_' + ('reg4_' if registers else '') + 'dinov2.lvd142m'
    kwargs = dict(img_size=518, patch_size=14, embed_dim=embed_dim, depth=depth, num_heads=heads,
                  init_values=1.0)
    interpolation = PositionInterpolation()
    if registers:
        # Registers carry no position embedding; the class token's is folded into it.
        kwargs.update(reg_tokens=4, no_embed_class=True)
        interpolation = PositionInterpolation(offset=0.0, antialias=True)
    return ViTArch(
        vit_kwargs=kwargs, interpolation=interpolation,
        weights_file=f'{name}_pretrain.pth',
        weights_url=f'https://dl.fbaipublicfiles.com/dinov2/dinov2_vit{size}14/{name}_pretrain.pth',
        weights_page=DINOV2_PAGE, hf_hub=f'timm/{timm_name}')


def _tiny(patch, dinov2_style):
    kwargs = dict(img_size=224, patch_size=patch, embed_dim=48, depth=2, num_heads=3)
    if dinov2_style:
        kwargs.update(img_size=518, init_values=1.0)
    return ViTArch(vit_kwargs=kwargs)


def _dinov3(timm_size, file):
    return ViTArch(
        vit_kwargs={}, timm_model=f'vit_{timm_size}_patch16_dinov3', weights_file=file,
        weights_url='https://ai.meta.com/resources/models-and-libraries/dinov3-downloads/',
        weights_page=DINOV3_PAGE, hf_hub=f'timm/vit_{timm_size}_patch16_dinov3.lvd1689m')


VIT_ARCHS = {
    # torch.hub's dino_vits8 (PriMaPs); STEGO and SmooSeg load the 300-epoch ViT-S/8 instead.
    'dino_vits8': _dino(8, 384, 6, 'dino_deitsmall8_pretrain.pth',
                        other_files=('dino_deitsmall8_300ep_pretrain.pth', )),
    'dino_vits16': _dino(16, 384, 6, 'dino_deitsmall16_pretrain.pth'),
    'dino_vitb8': _dino(8, 768, 12, 'dino_vitbase8_pretrain.pth'),
    'dino_vitb16': _dino(16, 768, 12, 'dino_vitbase16_pretrain.pth'),
    'dinov2_vits14': _dinov2('s', 384, 12, 6),
    'dinov2_vitb14': _dinov2('b', 768, 12, 12),
    'dinov2_vitl14': _dinov2('l', 1024, 24, 16),
    'dinov2_vits14_reg4': _dinov2('s', 384, 12, 6, registers=True),
    'dinov2_vitb14_reg4': _dinov2('b', 768, 12, 12, registers=True),
    'dinov2_vitl14_reg4': _dinov2('l', 1024, 24, 16, registers=True),
    # DINOv3 (LVD-1689M); the weights carry Meta's DINOv3 License.
    'dinov3_vits16': _dinov3('small', 'dinov3_vits16_pretrain_lvd1689m-08c60483.pth'),
    'dinov3_vitsp16': _dinov3('small_plus', 'dinov3_vits16plus_pretrain_lvd1689m-4057cbaa.pth'),
    'dinov3_vitb16': _dinov3('base', 'dinov3_vitb16_pretrain_lvd1689m-73cec8be.pth'),
    'dinov3_vitl16': _dinov3('large', 'dinov3_vitl16_pretrain_lvd1689m-8aa4cbdd.pth'),
    'dinov3_vith16plus': _dinov3('huge_plus', 'dinov3_vith16plus_pretrain_lvd1689m-7c1da9a5.pth'),
    # Random-weight archs for tests and the CPU quickstart.
    'vit_tiny_p8': _tiny(8, dinov2_style=False),
    'vit_tiny_p14': _tiny(14, dinov2_style=True),
    'vit_tiny_dinov3': ViTArch(vit_kwargs=dict(embed_dim=48, depth=2, num_heads=3),
                               timm_model='vit_small_patch16_dinov3'),
}


def resolve_vit_arch(arch):
    """``arch`` name or dict of VisionTransformer kwargs -> :class:`ViTArch`.

    A dict may carry ``interpolation=dict(offset=..., antialias=...)``; the rest goes to timm.
    A dict with ``timm_model`` (e.g. ``'vit_base_patch16_dinov3_qkvb'``) builds that timm model
    with the other entries as overrides (e.g. ``depth=1``).
    """
    if isinstance(arch, str):
        if arch not in VIT_ARCHS:
            raise KeyError(f'unknown ViT arch {arch!r}; known: {sorted(VIT_ARCHS)}')
        return VIT_ARCHS[arch]
    if isinstance(arch, dict):
        kwargs = dict(arch)
        if 'timm_model' in kwargs:
            return ViTArch(timm_model=kwargs.pop('timm_model'), vit_kwargs=kwargs)
        interpolation = PositionInterpolation(**kwargs.pop('interpolation', {}))
        return ViTArch(vit_kwargs=kwargs, interpolation=interpolation)
    raise TypeError(f'arch must be a name or a dict of VisionTransformer kwargs, got {arch!r}')
