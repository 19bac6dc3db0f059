"""DINOv3 archs and TimmViT: parity with timm's own model, the official DINOv3 layout, strict
loading, frozen semantics and CLS attention."""
import pytest
import timm
import torch
from safetensors.torch import save_file

import useg  # noqa: F401
from useg.models.backbones import VIT_ARCHS, DINOViT, TimmViT
from useg.registry import MODELS

TINY = dict(embed_dim=48, depth=2, num_heads=3)
IMAGES = torch.randn(2, 3, 48, 80, generator=torch.Generator().manual_seed(3))


def pretrained(path):
    return dict(type='Pretrained', checkpoint=str(path))


def timm_tiny(name='vit_small_patch16_dinov3', seed=0):
    """timm's own DINOv3 model, shrunk, with random weights (q / v biases when it has them)."""
    torch.manual_seed(seed)
    model = timm.create_model(name, pretrained=False, num_classes=0, **TINY).eval()
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            if name.endswith(('_bias', 'gamma_1', 'gamma_2')):
                parameter.normal_(0, 0.3)
    return model


def timm_features(model, images, block=-1, norm=True):
    """timm's own patch tokens of one block as (B, C, h, w)."""
    with torch.no_grad():
        return model.forward_intermediates(images, indices=[range(len(model.blocks))[block]],
                                           norm=norm, output_fmt='NCHW',
                                           intermediates_only=True)[0]


def official_dinov3_state(model):
    """``model``'s weights under the official DINOv3 release names (dinov3 repo layout)."""
    state = {}
    for key, value in model.state_dict().items():
        key = key.replace('reg_token', 'storage_tokens').replace('gamma_1', 'ls1.gamma')
        key = key.replace('gamma_2', 'ls2.gamma')
        if key.endswith('attn.q_bias'):
            v_bias = model.state_dict()[key.replace('q_bias', 'v_bias')]
            k_bias = torch.randn_like(value)  # masked out by DINOv3's bias_mask
            state[key.replace('q_bias', 'qkv.bias')] = torch.cat([value, k_bias, v_bias])
            state[key.replace('q_bias', 'qkv.bias_mask')] = torch.cat(
                [torch.ones_like(value), torch.zeros_like(value), torch.ones_like(value)])
            continue
        if key.endswith('attn.v_bias'):
            continue
        state[key] = value.clone()
    state['mask_token'] = torch.zeros(1, model.embed_dim)
    state['rope_embed.periods'] = torch.rand(model.embed_dim // model.blocks[0].attn.num_heads // 4)
    return state


def test_named_archs_are_timm_dinov3_models():
    with torch.device('meta'):
        large = DINOViT('dinov3_vitl16')
        huge = DINOViT('dinov3_vith16plus')
    assert type(large.encoder).__name__ == 'Eva' and len(large.encoder.blocks) == 24
    assert large.embed_dim == 1024 and large.encoder.num_prefix_tokens == 5
    assert len(huge.encoder.blocks) == 32 and huge.embed_dim == 1280
    assert VIT_ARCHS['dinov3_vitb16'].hf_hub == 'timm/vit_base_patch16_dinov3.lvd1689m'


@pytest.mark.parametrize('out_block,final_norm', [(-1, True), (0, False)])
def test_features_equal_timm_given_the_same_weights(tmp_path, out_block, final_norm):
    source = timm_tiny()
    save_file(dict(source.state_dict()), str(tmp_path / 'model.safetensors'))
    backbone = DINOViT('vit_tiny_dinov3', init_cfg=pretrained(tmp_path / 'model.safetensors'),
                       out_block=out_block, final_norm=final_norm)
    ours = backbone(IMAGES)
    assert ours.shape == (2, 48, 3, 5)
    torch.testing.assert_close(ours, timm_features(source, IMAGES, out_block, final_norm),
                               atol=1e-4, rtol=1e-4)


def test_cls_attention_is_the_models_own(tmp_path):
    source = timm_tiny('vit_small_patch16_dinov3_qkvb')
    save_file(dict(source.state_dict()), str(tmp_path / 'model.safetensors'))
    backbone = TimmViT('vit_small_patch16_dinov3_qkvb', weights=str(tmp_path / 'model.safetensors'),
                       **TINY)
    ours = backbone.forward_features(IMAGES, return_attention=True, return_keys=True)
    # timm's unfused attention hands its softmaxed probabilities to attn_drop: capture them.
    captured = []
    last = source.blocks[-1].attn
    last.fused_attn = False
    last.attn_drop.register_forward_hook(lambda module, inputs, output: captured.append(inputs[0]))
    timm_features(source, IMAGES)
    reference = captured[-1][:, :, 0, 5:]  # CLS query, patch-token columns
    torch.testing.assert_close(ours['attention'], reference, atol=1e-5, rtol=1e-4)
    assert (ours['attention'].sum(-1) < 1).all()  # CLS / register columns dropped
    assert ours['keys'].shape == (2, 48, 3, 5)


@pytest.mark.parametrize('timm_name,arch', [
    ('vit_small_patch16_dinov3_qkvb', dict(timm_model='vit_small_patch16_dinov3_qkvb', **TINY)),
    ('vit_small_patch16_dinov3', 'vit_tiny_dinov3'),
])
def test_official_dinov3_layout_is_converted(tmp_path, timm_name, arch):
    source = timm_tiny(timm_name)
    state = official_dinov3_state(source)
    if 'qkvb' not in timm_name:  # biasless model: the release's q / v biases are zero
        state.update({f'blocks.{index}.attn.qkv.bias': torch.zeros(144) for index in range(2)})
    assert 'storage_tokens' in state and 'blocks.1.ls2.gamma' in state
    torch.save(state, tmp_path / 'dinov3_official.pth')
    backbone = DINOViT(arch, init_cfg=pretrained(tmp_path / 'dinov3_official.pth'))
    torch.testing.assert_close(backbone(IMAGES), timm_features(source, IMAGES), atol=1e-4,
                               rtol=1e-4)


def test_dinov3_file_with_biases_into_a_biasless_model_is_an_error(tmp_path):
    torch.save(official_dinov3_state(timm_tiny('vit_small_patch16_dinov3_qkvb')),
               tmp_path / 'with_bias.pth')
    with pytest.raises(ValueError, match=r"non-zero q / v biases \(2: blocks.0.attn.qkv.bias"):
        DINOViT('vit_tiny_dinov3', init_cfg=pretrained(tmp_path / 'with_bias.pth'))


def test_mismatched_and_missing_keys_are_listed(tmp_path):
    state = dict(timm_tiny().state_dict())
    del state['blocks.1.mlp.fc2.bias']
    state['reg_token'] = torch.zeros(1, 2, 48)
    save_file(state, str(tmp_path / 'bad.safetensors'))
    with pytest.raises(ValueError) as error:
        DINOViT('vit_tiny_dinov3', init_cfg=pretrained(tmp_path / 'bad.safetensors'))
    message = str(error.value)
    assert "(arch 'vit_tiny_dinov3') does not match" in message
    assert 'missing keys (1): blocks.1.mlp.fc2.bias' in message
    assert 'reg_token: checkpoint (1, 2, 48) vs model (1, 4, 48)' in message


def test_absent_dinov3_file_names_file_licence_and_timm_copy(tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))
    with pytest.raises(FileNotFoundError) as error:
        DINOViT('dinov3_vitb16',
                init_cfg=pretrained('dinov3_vitb16_pretrain_lvd1689m-73cec8be.pth'))
    message = str(error.value)
    assert 'dinov3_vitb16_pretrain_lvd1689m-73cec8be.pth  <- https://ai.meta.com/' in message
    assert 'DINOv3 License' in message
    assert "checkpoint='hf-hub:timm/vit_base_patch16_dinov3.lvd1689m'" in message


def test_frozen_dinov3_gets_no_gradient_and_runs_under_autocast():
    backbone = MODELS.build(dict(type='DINOViT', arch='vit_tiny_dinov3'))
    head = torch.nn.Conv2d(48, 4, 1)
    backbone.train()
    assert not backbone.training and not backbone.encoder.training
    assert all(not parameter.requires_grad for parameter in backbone.parameters())
    feats = backbone(IMAGES)
    head(feats).square().sum().backward()
    assert head.weight.grad is not None and not feats.requires_grad
    assert all(parameter.grad is None for parameter in backbone.parameters())
    with torch.autocast('cpu', dtype=torch.bfloat16):
        mixed = backbone(IMAGES)
    torch.testing.assert_close(mixed.float(), feats, atol=0.15, rtol=0.05)
    with pytest.raises(ValueError, match='50x80 is not a multiple of the patch size 16'):
        backbone(torch.randn(1, 3, 50, 80))


def test_timm_vit_any_model_and_hf_cache(tmp_path, monkeypatch):
    import huggingface_hub.constants as hf_constants
    source = timm.create_model('vit_small_patch16_224', pretrained=False, num_classes=0,
                               depth=1, dynamic_img_size=True).eval()
    snapshot = tmp_path / 'models--timm--vit_small_patch16_224.augreg_in21k' / 'snapshots' / 'a1'
    snapshot.mkdir(parents=True)
    (snapshot.parent.parent / 'refs').mkdir()
    (snapshot.parent.parent / 'refs' / 'main').write_text('a1')
    save_file(dict(source.state_dict()), str(snapshot / 'model.safetensors'))
    monkeypatch.setattr(hf_constants, 'HF_HUB_CACHE', str(tmp_path))
    backbone = MODELS.build(dict(type='TimmViT', model_name='vit_small_patch16_224.augreg_in21k',
                                 weights='hf-hub:timm/vit_small_patch16_224.augreg_in21k',
                                 depth=1))
    images = torch.randn(1, 3, 32, 64)
    torch.testing.assert_close(backbone(images), timm_features(source, images), atol=1e-4,
                               rtol=1e-4)
    assert backbone.arch == 'vit_small_patch16_224.augreg_in21k' and backbone.patch_size == 16
    same = TimmViT('vit_small_patch16_224', depth=1,
                   init_cfg=pretrained(snapshot / 'model.safetensors'))
    assert torch.equal(same(images), backbone(images))
    with pytest.raises(KeyError, match="'vit_nonexistent' is not a timm model"):
        TimmViT('vit_nonexistent')
    with pytest.raises(TypeError, match='not a timm ViT'):
        TimmViT('resnet18')


def test_convert_weights_tool_converts_an_official_dinov3_file(tmp_path):
    from useg.tools import convert_weights as tool
    source = timm_tiny()
    state = official_dinov3_state(source)
    state.update({f'blocks.{index}.attn.qkv.bias': torch.zeros(144) for index in range(2)})
    torch.save(state, tmp_path / 'official.pth')
    tool.convert(str(tmp_path / 'official.pth'), str(tmp_path / 'converted.pth'), 'vit_tiny_dinov3')
    loaded = DINOViT('vit_tiny_dinov3', init_cfg=pretrained(tmp_path / 'converted.pth'))
    torch.testing.assert_close(loaded(IMAGES), timm_features(source, IMAGES), atol=1e-4, rtol=1e-4)
