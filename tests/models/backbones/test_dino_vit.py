"""DINOViT: shapes at the papers' resolutions, parity with the authors' computation, freezing."""
import pytest
import torch

import useg  # noqa: F401  (mmcv.ops stand-in before mmseg imports)
from useg.models.backbones import VIT_ARCHS, DINOViT
from useg.registry import MODELS

# (arch, input side, token grid side, channels) at the resolutions the papers use.
PAPER_SHAPES = [
    ('dino_vits8', 224, 28, 384), ('dino_vits8', 320, 40, 384),
    ('dino_vitb8', 224, 28, 768), ('dino_vitb8', 320, 40, 768),
    ('dino_vits16', 224, 14, 384), ('dino_vitb16', 224, 14, 768),
    ('dinov2_vits14', 322, 23, 384), ('dinov2_vitb14', 322, 23, 768),
    ('dinov2_vitl14', 322, 23, 1024), ('dinov2_vits14_reg4', 322, 23, 384),
    ('dinov2_vitb14_reg4', 322, 23, 768), ('dinov2_vitl14_reg4', 322, 23, 1024),
]
# DINOv3 (RoPE, any multiple of 16): (arch, (H, W), channels, heads) at 320 and non-square.
DINOV3_SHAPES = [
    (arch, size, channels, heads)
    for arch, channels, heads in [('dinov3_vits16', 384, 6), ('dinov3_vitsp16', 384, 6),
                                  ('dinov3_vitb16', 768, 12), ('dinov3_vitl16', 1024, 16),
                                  ('dinov3_vith16plus', 1280, 20)]
    for size in [(320, 320), (224, 400)]
]


def test_every_arch_has_a_paper_shape():
    tested = {arch for arch, *_ in PAPER_SHAPES + DINOV3_SHAPES}
    assert tested | {'vit_tiny_p8', 'vit_tiny_p14', 'vit_tiny_dinov3'} == set(VIT_ARCHS)


@pytest.mark.parametrize('arch,side,grid,channels', PAPER_SHAPES)
def test_feature_shapes_at_paper_resolution(arch, side, grid, channels):
    spec = VIT_ARCHS[arch]
    # The named arch's kwargs with one block (token shapes do not depend on depth), on the meta
    # device and without timm's init: shapes only, no compute.
    arch_dict = dict(spec.vit_kwargs, depth=1, weight_init='skip',
                     interpolation=vars(spec.interpolation))
    with torch.device('meta'):
        backbone = DINOViT(arch_dict)
        outputs = backbone.forward_features(torch.empty(2, 3, side, side), return_attention=True,
                                            return_keys=True)
    heads = spec.vit_kwargs['num_heads']
    assert backbone.embed_dim == channels
    assert outputs['feats'].shape == (2, channels, grid, grid)
    assert outputs['attention'].shape == (2, heads, grid * grid)
    assert outputs['keys'].shape == (2, channels, grid, grid)


@pytest.mark.parametrize('arch,size,channels,heads', DINOV3_SHAPES)
def test_dinov3_feature_shapes(arch, size, channels, heads):
    # The named arch's timm model with one block (token shapes do not depend on depth), on the
    # meta device: shapes only, no compute.
    arch_dict = dict(timm_model=VIT_ARCHS[arch].timm_model, depth=1)
    with torch.device('meta'):
        backbone = DINOViT(arch_dict)
        outputs = backbone.forward_features(torch.empty(2, 3, *size), return_attention=True,
                                            return_keys=True)
    grid = (size[0] // 16, size[1] // 16)
    assert backbone.patch_size == 16 and backbone.encoder.num_prefix_tokens == 5  # CLS + 4 reg
    assert outputs['feats'].shape == (2, channels, *grid)
    assert outputs['attention'].shape == (2, heads, grid[0] * grid[1])
    assert outputs['keys'].shape == (2, channels, *grid)


@pytest.mark.parametrize('arch,patch', [('vit_tiny_p8', 8), ('vit_tiny_p14', 14),
                                        ('vit_tiny_dinov3', 16)])
def test_tiny_archs_random_weights_non_square(arch, patch):
    backbone = MODELS.build(dict(type='DINOViT', arch=arch))
    feats = backbone(torch.randn(2, 3, 3 * patch, 5 * patch))
    assert feats.shape == (2, 48, 3, 5)
    assert backbone.patch_size == patch and backbone.embed_dim == 48 and backbone.arch == arch
    assert torch.isfinite(feats).all()


@pytest.mark.parametrize('patch,layer_scale,registers,offset,antialias', [
    (8, False, 0, 0.1, False),   # DINO
    (14, True, 0, 0.1, False),   # DINOv2
    (14, True, 4, 0.0, True),    # DINOv2 with registers
])
def test_features_match_the_authors_forward(tmp_path, official_state, reference_vit, patch,
                                            layer_scale, registers, offset, antialias):
    grid = 6
    state = official_state(patch, grid, layer_scale, registers)
    path = tmp_path / 'official.pth'
    torch.save(state, path)
    arch = dict(img_size=grid * patch, patch_size=patch, embed_dim=48, depth=2, num_heads=3,
                init_values=1.0 if layer_scale else None, reg_tokens=registers,
                no_embed_class=bool(registers),
                interpolation=dict(offset=offset, antialias=antialias))
    backbone = DINOViT(arch, init_cfg=dict(type='Pretrained', checkpoint=str(path)))
    # Non-square and larger than the stored grid: exercises position-embedding resizing.
    images = torch.randn(2, 3, 9 * patch, 7 * patch)
    ours = backbone.forward_features(images, return_attention=True, return_keys=True)
    with torch.no_grad():
        reference = reference_vit(state, images, patch, heads=3, offset=offset,
                                  antialias=antialias)
    for name in ('feats', 'attention', 'keys'):
        torch.testing.assert_close(ours[name], reference[name], atol=2e-5, rtol=1e-4)
    assert torch.allclose(ours['attention'].sum(-1), torch.ones(2, 3), atol=0.5)
    assert (ours['attention'].sum(-1) < 1).all()  # the CLS / register columns are dropped


def test_out_block_and_final_norm(tmp_path, official_state, reference_vit):
    state = official_state(8, 28, layer_scale=False)  # vit_tiny_p8: 224 px pre-training grid
    torch.save(state, tmp_path / 'dino.pth')
    init_cfg = dict(type='Pretrained', checkpoint=str(tmp_path / 'dino.pth'))
    images = torch.randn(1, 3, 32, 32)
    reference = reference_vit(state, images, 8, heads=3)
    first = DINOViT('vit_tiny_p8', init_cfg=init_cfg, out_block=0, final_norm=False)(images)
    expected = reference['blocks'][0][:, 1:].transpose(1, 2).reshape(1, 48, 4, 4)
    torch.testing.assert_close(first, expected, atol=2e-5, rtol=1e-4)
    last = DINOViT('vit_tiny_p8', init_cfg=init_cfg, out_block=-1, final_norm=True)(images)
    torch.testing.assert_close(last, reference['feats'], atol=2e-5, rtol=1e-4)
    with pytest.raises(ValueError, match='out_block=2 is outside the 2 blocks'):
        DINOViT('vit_tiny_p8', out_block=2)


def test_frozen_backbone_gets_no_gradient():
    backbone = DINOViT('vit_tiny_p8')
    head = torch.nn.Conv2d(48, 4, 1)
    backbone.train()
    assert not backbone.training and not backbone.encoder.training
    assert all(not parameter.requires_grad for parameter in backbone.parameters())
    feats = backbone(torch.randn(2, 3, 16, 24))
    assert not feats.requires_grad
    head(feats).square().sum().backward()
    assert head.weight.grad is not None
    assert all(parameter.grad is None for parameter in backbone.parameters())


def test_unfrozen_backbone_trains():
    backbone = DINOViT('vit_tiny_p14', frozen=False)
    backbone.train()
    assert backbone.training
    backbone(torch.randn(1, 3, 28, 28)).sum().backward()
    assert all(parameter.grad is not None for parameter in backbone.encoder.blocks.parameters())


def test_bad_inputs_have_clear_errors():
    backbone = DINOViT('vit_tiny_p8')
    with pytest.raises(ValueError, match='30x32 is not a multiple of the patch size 8'):
        backbone(torch.randn(1, 3, 30, 32))
    with pytest.raises(ValueError, match=r'expected images \(B, C, H, W\)'):
        backbone(torch.randn(3, 32, 32))
    with pytest.raises(KeyError, match="unknown ViT arch 'dino_vits9'"):
        DINOViT('dino_vits9')
    with pytest.raises(ValueError, match="init_cfg=dict\\(type='Pretrained'"):
        DINOViT('vit_tiny_p8', init_cfg=dict(type='Kaiming'))


def test_forward_runs_under_autocast():
    backbone = DINOViT('vit_tiny_p14')
    images = torch.randn(1, 3, 28, 42)
    full = backbone.forward_features(images, return_attention=True)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        mixed = backbone.forward_features(images, return_attention=True)
    assert mixed['feats'].shape == (1, 48, 2, 3)
    torch.testing.assert_close(mixed['feats'].float(), full['feats'], atol=0.1, rtol=0.05)
    torch.testing.assert_close(mixed['attention'], full['attention'], atol=0.02, rtol=0.05)
