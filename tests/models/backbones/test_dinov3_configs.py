"""DINOv3 configs: canonical names on the new config system, 320 px crops, no hand-typed
channels (heads and probes take the built backbone's width), and the tiny DINOv3 config trains
STEGO end to end."""
import glob
import os.path as osp
import re

import pytest
import torch
from mmengine.config import Config
from mmengine.utils import import_modules_from_strings

from tests.conftest import config_path
from useg.apis import load_config
from useg.models.utils import feature_channels
from useg.registry import MODELS
from useg.testing import installed_methods

BASES = sorted(glob.glob(config_path('_base_', 'models', 'backbones', 'dinov3_vit*.py')))
METHOD_CONFIGS = sorted(glob.glob(config_path('*', '*_dinov3_*.py')))
WIDTH = {'dinov3_vits16': 384, 'dinov3_vitb16': 768}


@pytest.mark.parametrize('path', BASES, ids=osp.basename)
def test_backbone_bases_expose_their_width(path):
    cfg = Config.fromfile(path)
    name = osp.splitext(osp.basename(path))[0]
    assert cfg.backbone.arch == name
    assert cfg.backbone.init_cfg.checkpoint.startswith(f'{name}_pretrain_lvd1689m-')
    with torch.device('meta'):
        backbone = MODELS.build(dict(cfg.backbone, init_cfg=None))
    assert feature_channels(backbone) == WIDTH[name]


def test_method_configs_have_canonical_names_and_no_hand_typed_channels():
    names = {osp.relpath(path, config_path()) for path in METHOD_CONFIGS}
    methods = {name.split(osp.sep)[0] for name in names}
    assert methods and methods <= set(installed_methods()), methods
    assert methods == set(BACKBONE_READERS), methods  # every method's readers are checked below
    assert names == {f'{method}/{method}_dinov3_{backbone}_{dataset}.py'
                     for method in methods
                     for backbone in ('vitb16', 'vits16')
                     for dataset in ('cocostuff27', 'cityscapes27')}
    for path in METHOD_CONFIGS:
        text = open(path).read()
        assert text.splitlines()[0].endswith('a useg extension -- no paper reports this row.'), path
        assert 'in_channels' not in text and not re.search(r'\b(384|768)\b', text), path
        cfg = load_config(path)
        assert cfg.crop_size == 320 and cfg.get('paper_results') is None, path
        arch = re.search(r'dinov3_vit.16', path).group()
        assert cfg.model.backbone.arch == arch, path
        assert 'in_channels' not in cfg.pretty_text, path
        crops = re.findall(r"crop_size=(\d+)", cfg.pretty_text)
        assert crops and all(int(crop) % 16 == 0 for crop in crops), (path, crops)


# The weights that read the backbone's features (B, C, h, w): C must be the backbone's width.
BACKBONE_READERS = {'stego': ['head.linear.weight', 'head.nonlinear.0.weight'],
                    'smooseg': ['head.linear.weight', 'head.nonlinear.0.weight'],
                    'primaps': ['student.weight_v', 'teacher.weight_v', 'linear_probe.conv.weight']}


@pytest.mark.parametrize('method', sorted(BACKBONE_READERS))
def test_heads_and_probes_take_the_backbone_width(method):
    cfg = load_config(config_path(method, f'{method}_dinov3_vits16_cityscapes27.py'))
    import_modules_from_strings(cfg.custom_imports.imports)
    with torch.device('meta'):
        model = MODELS.build(dict(cfg.model, backbone=dict(cfg.model.backbone, init_cfg=None)))
    params = dict(model.named_parameters())
    for name in BACKBONE_READERS[method]:
        assert params[name].shape[1] == WIDTH['dinov3_vits16'], name


def test_tiny_dinov3_config_trains_stego_end_to_end(train_test, tmp_path):
    metrics = train_test(config_path('stego', 'tiny_synthetic_dinov3.py'),
                         work_dir=str(tmp_path / 'stego_dinov3'))
    assert 0 <= metrics['cluster/mIoU'] <= 100 and 0 <= metrics['linear/Acc'] <= 100
