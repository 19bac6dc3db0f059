"""Loading DINO / DINOv2 / timm weight files into DINOViT: layouts, strictness, missing files."""
import pytest
import torch
from safetensors.torch import save_file

import useg  # noqa: F401
from useg.models.backbones import DINOViT

IMAGES_P8 = torch.randn(2, 3, 40, 24, generator=torch.Generator().manual_seed(1))
IMAGES_P14 = torch.randn(2, 3, 42, 28, generator=torch.Generator().manual_seed(2))


def pretrained(path):
    return dict(type='Pretrained', checkpoint=str(path))


@pytest.mark.parametrize('arch,images,layer_scale', [('vit_tiny_p8', IMAGES_P8, False),
                                                     ('vit_tiny_p14', IMAGES_P14, True)])
def test_official_layout_round_trip_is_bit_identical(tmp_path, official_keys, arch, images,
                                                     layer_scale):
    source = DINOViT(arch)
    state = dict(source.encoder.state_dict())
    if layer_scale:
        state['mask_token'] = torch.zeros(1, 48)  # DINOv2 files carry their masking token
    assert set(state) == official_keys(depth=2, layer_scale=layer_scale, registers=False)
    torch.save(state, tmp_path / 'official.pth')
    loaded = DINOViT(arch, init_cfg=pretrained(tmp_path / 'official.pth'))
    assert loaded.weights_path == str(tmp_path / 'official.pth')
    assert torch.equal(loaded(images), source(images))


def test_dino_full_training_checkpoint_uses_the_teacher_backbone(tmp_path):
    teacher, student = DINOViT('vit_tiny_p8'), DINOViT('vit_tiny_p8')
    weights = teacher.encoder.state_dict()
    checkpoint = {
        'teacher': {**{f'backbone.{key}': value for key, value in weights.items()},
                    'head.last_layer.weight_g': torch.ones(10, 1)},
        'student': {f'module.backbone.{key}': value
                    for key, value in student.encoder.state_dict().items()},
        'epoch': 100}
    torch.save(checkpoint, tmp_path / 'checkpoint.pth')
    loaded = DINOViT('vit_tiny_p8', init_cfg=pretrained(tmp_path / 'checkpoint.pth'))
    assert torch.equal(loaded(IMAGES_P8), teacher(IMAGES_P8))


def test_dinov2_registers_official_and_timm_layouts_agree(tmp_path, official_state):
    state = official_state(14, 37, layer_scale=True, registers=4)
    torch.save(state, tmp_path / 'dinov2_reg.pth')
    arch = dict(img_size=518, patch_size=14, embed_dim=48, depth=2, num_heads=3, init_values=1.0,
                reg_tokens=4, no_embed_class=True, interpolation=dict(offset=0.0, antialias=True))
    official = DINOViT(arch, init_cfg=pretrained(tmp_path / 'dinov2_reg.pth'))
    # timm's own conversion: class position folded into cls_token, pos_embed without it.
    timm_state = {key: value for key, value in state.items()
                  if key not in ('mask_token', 'register_tokens', 'cls_token', 'pos_embed')}
    timm_state.update(reg_token=state['register_tokens'],
                      cls_token=state['cls_token'] + state['pos_embed'][:, :1],
                      pos_embed=state['pos_embed'][:, 1:])
    save_file({key: value.contiguous() for key, value in timm_state.items()},
              str(tmp_path / 'model.safetensors'))
    timm_model = DINOViT(arch, init_cfg=pretrained(tmp_path / 'model.safetensors'))
    assert torch.equal(official(IMAGES_P14), timm_model(IMAGES_P14))


def test_hugging_face_cache_copy_is_found_without_download(tmp_path, monkeypatch):
    import huggingface_hub.constants as hf_constants
    source = DINOViT('vit_tiny_p8')
    repo = tmp_path / 'models--timm--tiny_dino'
    snapshot = repo / 'snapshots' / 'abc123'
    snapshot.mkdir(parents=True)
    (repo / 'refs').mkdir()
    (repo / 'refs' / 'main').write_text('abc123')
    save_file(dict(source.encoder.state_dict()), str(snapshot / 'model.safetensors'))
    monkeypatch.setattr(hf_constants, 'HF_HUB_CACHE', str(tmp_path))
    loaded = DINOViT('vit_tiny_p8', init_cfg=pretrained('hf-hub:timm/tiny_dino'))
    assert torch.equal(loaded(IMAGES_P8), source(IMAGES_P8))
    with pytest.raises(FileNotFoundError, match='timm/other_model'):
        DINOViT('vit_tiny_p8', init_cfg=pretrained('hf-hub:timm/other_model'))


def test_wrong_arch_checkpoint_lists_the_keys(tmp_path, official_state):
    torch.save(official_state(14, 37, layer_scale=True), tmp_path / 'dinov2_tiny.pth')
    with pytest.raises(ValueError) as error:
        DINOViT('vit_tiny_p8', init_cfg=pretrained(tmp_path / 'dinov2_tiny.pth'))
    message = str(error.value)
    assert "dinov2_tiny.pth (arch 'vit_tiny_p8') does not match" in message
    assert 'unexpected keys (4): blocks.0.ls1.gamma, blocks.0.ls2.gamma' in message
    assert 'patch_embed.proj.weight: checkpoint (48, 3, 14, 14) vs model (48, 3, 8, 8)' in message
    assert 'pos_embed: checkpoint (1, 1370, 48) vs model (1, 785, 48)' in message


def test_missing_block_is_an_error(tmp_path):
    state = dict(DINOViT('vit_tiny_p8').encoder.state_dict())
    del state['blocks.1.mlp.fc2.bias']
    torch.save(state, tmp_path / 'truncated.pth')
    with pytest.raises(ValueError, match=r'missing keys \(1\): blocks.1.mlp.fc2.bias'):
        DINOViT('vit_tiny_p8', init_cfg=pretrained(tmp_path / 'truncated.pth'))


def test_absent_file_names_path_file_and_source(tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path))  # bare names are also looked up there
    path = tmp_path / 'weights' / 'dino_deitsmall8_pretrain.pth'
    with pytest.raises(FileNotFoundError) as error:
        DINOViT('dino_vits8', init_cfg=pretrained(path))
    message = str(error.value)
    assert str(path) in message
    assert 'dino_deitsmall8_pretrain.pth  <- https://dl.fbaipublicfiles.com/dino/' \
           'dino_deitsmall8_pretrain/dino_deitsmall8_pretrain.pth' in message
    assert 'dino_deitsmall8_300ep_pretrain.pth' in message
    assert "checkpoint='hf-hub:timm/vit_small_patch8_224.dino'" in message
    with pytest.raises(FileNotFoundError, match='dinov2_vitb14_pretrain.pth  <- https://dl.'
                                                'fbaipublicfiles.com/dinov2/dinov2_vitb14/'):
        DINOViT('dinov2_vitb14', init_cfg=pretrained('dinov2_vitb14_pretrain.pth'))
