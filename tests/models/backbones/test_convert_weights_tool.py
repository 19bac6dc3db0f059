"""tools/convert_weights.py: one-time conversion of pickled training checkpoints."""
import argparse

import pytest
import torch

import useg  # noqa: F401
from useg.models.backbones import DINOViT

def load_tool():
    from useg.tools import convert_weights
    return convert_weights


def test_pickled_dino_checkpoint_needs_conversion_then_loads(tmp_path):
    teacher = DINOViT('vit_tiny_p8')
    weights = teacher.encoder.state_dict()
    full = dict(teacher={f'backbone.{key}': value for key, value in weights.items()},
                args=argparse.Namespace(arch='vit_small'), epoch=3)
    torch.save(full, tmp_path / 'full_checkpoint.pth')
    with pytest.raises(RuntimeError, match='tools/convert_weights.py --allow-pickle'):
        DINOViT('vit_tiny_p8', init_cfg=dict(type='Pretrained',
                                             checkpoint=str(tmp_path / 'full_checkpoint.pth')))
    tool = load_tool()
    tool.main([str(tmp_path / 'full_checkpoint.pth'), str(tmp_path / 'converted.pth'),
               '--arch', 'vit_tiny_p8', '--allow-pickle'])
    converted = torch.load(tmp_path / 'converted.pth', weights_only=True)
    assert converted['meta']['arch'] == 'vit_tiny_p8'
    loaded = DINOViT('vit_tiny_p8', init_cfg=dict(type='Pretrained',
                                                  checkpoint=str(tmp_path / 'converted.pth')))
    images = torch.randn(1, 3, 16, 16)
    assert torch.equal(loaded(images), teacher(images))


def test_conversion_checks_the_arch(tmp_path):
    torch.save(dict(DINOViT('vit_tiny_p8').encoder.state_dict()), tmp_path / 'tiny.pth')
    with pytest.raises(ValueError, match="tiny.pth \\(arch 'vit_tiny_p14'\\) does not match"):
        load_tool().convert(str(tmp_path / 'tiny.pth'), str(tmp_path / 'out.pth'), 'vit_tiny_p14')
    assert not (tmp_path / 'out.pth').exists()
