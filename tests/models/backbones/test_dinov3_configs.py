"""DINOv3 configs: channels taken from the backbone bases match the built backbones, and the
tiny DINOv3 config trains STEGO end to end."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from tests.conftest import config_path
from useg.registry import MODELS

BASES = sorted(glob.glob(config_path('_base_', 'models', 'backbones', 'dinov3_vit*.py')))


@pytest.mark.parametrize('path', BASES, ids=osp.basename)
def test_backbone_base_channels_are_the_backbones(path):
    cfg = Config.fromfile(path)
    name = osp.splitext(osp.basename(path))[0]
    backbone_cfg = dict(cfg[f'{name}_backbone'], init_cfg=None)
    with torch.device('meta'):
        backbone = MODELS.build(backbone_cfg)
    assert backbone.embed_dim == cfg[f'{name}_channels']
    assert cfg[f'{name}_backbone'].init_cfg.checkpoint.startswith(f'{name}_pretrain_lvd1689m-')


def test_method_configs_use_dinov3_at_multiples_of_16():
    paths = sorted(glob.glob(config_path('*', '*_dinov3_vit?16_*.py')))
    assert len(paths) == 12  # 3 methods x 2 backbones x 2 datasets
    for path in paths:
        cfg = Config.fromfile(path)
        assert open(path).readline().rstrip().endswith('a useg extension -- no paper reports '
                                                       'this row.'), path
        assert cfg.model.backbone.arch.startswith('dinov3_vit'), path
        crops = [step.crop_size for loader in ('train_dataloader', 'val_dataloader')
                 for step in cfg[loader].dataset.get('dataset', cfg[loader].dataset).pipeline
                 if step.type == 'CenterCrop']
        assert crops and all(crop % 16 == 0 for crop in crops), (path, crops)


def test_tiny_dinov3_config_trains_stego_end_to_end(train_test, tmp_path):
    metrics = train_test(config_path('stego', 'tiny_synthetic_dinov3.py'),
                         work_dir=str(tmp_path / 'stego_dinov3'))
    assert 0 <= metrics['cluster/mIoU'] <= 100 and 0 <= metrics['linear/Acc'] <= 100
