"""TorchvisionResNet: dilated layout, torchvision / MoCo weight files, trainable vs frozen."""
import pytest
import torch

import useg  # noqa: F401
from useg.models.backbones import TorchvisionResNet
from useg.registry import MODELS

STRIDE_8 = dict(strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4))
IMAGES = torch.randn(2, 3, 32, 48, generator=torch.Generator().manual_seed(0))


def pretrained(path):
    return dict(type='Pretrained', checkpoint=str(path))


def torchvision_layout(model):
    """What a torchvision file holds: no BN step counters, plus the classifier."""
    state = {key: value for key, value in model.state_dict().items()
             if not key.endswith('num_batches_tracked')}
    channels = model.layer4[-1].conv2.out_channels * model.block.expansion
    state.update({'fc.weight': torch.zeros(1000, channels), 'fc.bias': torch.zeros(1000)})
    return state


def test_resnet50_dilated_to_output_stride_8_like_torchvision():
    backbone = MODELS.build(dict(type='TorchvisionResNet', depth=50, **STRIDE_8))
    with torch.no_grad():
        feats = backbone.eval()(IMAGES[:1])
    assert feats.shape == (1, 2048, 4, 6)
    # torchvision replace_stride_with_dilation=[False, True, True]
    assert [block.conv2.dilation[0] for block in backbone.layer3] == [1, 2, 2, 2, 2, 2]
    assert [block.conv2.dilation[0] for block in backbone.layer4] == [2, 4, 4]
    assert [block.conv2.stride[0] for block in backbone.layer2] == [2, 1, 1, 1]
    assert all(block.conv2.stride[0] == 1 for block in (*backbone.layer3, *backbone.layer4))


def test_default_layout_is_output_stride_32_with_several_outputs():
    backbone = TorchvisionResNet(depth=18, out_indices=(2, 3))
    stage3, stage4 = backbone(IMAGES)
    assert stage3.shape == (2, 256, 2, 3) and stage4.shape == (2, 512, 1, 2)


def test_torchvision_file_loads_bit_identically(tmp_path):
    source = TorchvisionResNet(depth=18, **STRIDE_8).eval()
    torch.save(torchvision_layout(source), tmp_path / 'resnet18.pth')
    loaded = TorchvisionResNet(depth=18, init_cfg=pretrained(tmp_path / 'resnet18.pth'),
                               **STRIDE_8).eval()
    with torch.no_grad():
        assert torch.equal(loaded(IMAGES), source(IMAGES))


def test_moco_checkpoint_loads_the_query_encoder(tmp_path):
    query = TorchvisionResNet(depth=18).eval()
    state = {f'module.encoder_q.{name}': value for name, value in query.state_dict().items()}
    state.update({f'module.encoder_k.{name}': torch.zeros_like(value)
                  for name, value in query.state_dict().items()})
    state.update({'module.encoder_q.fc.0.weight': torch.zeros(512, 512),
                  'module.encoder_q.fc.2.weight': torch.zeros(128, 512),
                  'module.queue': torch.zeros(128, 16), 'module.queue_ptr': torch.zeros(1)})
    torch.save({'epoch': 800, 'arch': 'resnet18', 'state_dict': state,
                'optimizer': {'state': {}, 'param_groups': []}}, tmp_path / 'moco.pth.tar')
    loaded = TorchvisionResNet(depth=18, init_cfg=pretrained(tmp_path / 'moco.pth.tar')).eval()
    with torch.no_grad():
        assert torch.equal(loaded(IMAGES), query(IMAGES))


def test_wrong_depth_lists_the_keys(tmp_path):
    torch.save(torchvision_layout(TorchvisionResNet(depth=18)), tmp_path / 'resnet18.pth')
    with pytest.raises(ValueError) as error:
        TorchvisionResNet(depth=34, init_cfg=pretrained(tmp_path / 'resnet18.pth'))
    assert 'resnet18.pth (ResNet-34) does not match' in str(error.value)
    assert 'missing keys' in str(error.value) and 'layer3.5.conv1.weight' in str(error.value)


def test_absent_file_names_moco_and_torchvision_sources(tmp_path):
    with pytest.raises(FileNotFoundError) as error:
        TorchvisionResNet(depth=50,
                          init_cfg=pretrained(tmp_path / 'moco_v2_800ep_pretrain.pth.tar'))
    message = str(error.value)
    assert str(tmp_path / 'moco_v2_800ep_pretrain.pth.tar') in message
    assert 'moco_v2_800ep/moco_v2_800ep_pretrain.pth.tar' in message
    assert 'https://download.pytorch.org/models/resnet50-0676ba61.pth' in message


def test_trainable_by_default_and_frozen_on_request():
    trainable = TorchvisionResNet(depth=18).train()
    assert trainable.training
    trainable(IMAGES).mean().backward()
    assert all(parameter.grad is not None for parameter in trainable.parameters())

    frozen = TorchvisionResNet(depth=18, frozen=True)
    frozen.train()
    assert not frozen.training and not frozen.bn1.training
    feats = frozen(IMAGES)
    assert not feats.requires_grad
    assert all(not parameter.requires_grad for parameter in frozen.parameters())
