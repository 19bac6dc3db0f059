"""Every shipped config parses, and every component type it names is registered."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from useg.registry import DATASETS, MODELS

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIGS = sorted(path for path in glob.glob(osp.join(REPO_ROOT, 'configs', '**', '*.py'), recursive=True)
                 if f'{osp.sep}_base_{osp.sep}' not in path and not path.endswith('_base.py'))


def registered_types(node):
    """Types of every dict under ``node`` (recursively) that carries ``type``."""
    found = []
    if isinstance(node, dict):
        if isinstance(node.get('type'), str):
            found.append(node['type'])
        for value in node.values():
            found += registered_types(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            found += registered_types(item)
    return found


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, osp.join(REPO_ROOT, 'configs')))
def test_config_parses_and_names_registered_components(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'useg'
    assert MODELS.get(cfg.model.type) is not None, cfg.model.type
    for model_type in registered_types(cfg.model):
        if model_type not in ('Pretrained', 'Kaiming', 'Normal', 'Constant', 'Xavier', 'TruncNormal'):
            assert MODELS.get(model_type) is not None, f'{model_type} (in {path})'
    assert DATASETS.get(cfg.train_dataloader.dataset.type) is not None


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, osp.join(REPO_ROOT, 'configs')))
def test_paper_backbones_name_their_weights(path):
    # An official DINO/DINOv2 arch without a weights file would silently train on random weights.
    backbone = Config.fromfile(path).model.get('backbone') or {}
    if str(backbone.get('arch', '')).startswith('dino'):
        init_cfg = backbone.get('init_cfg') or {}
        assert init_cfg.get('type') == 'Pretrained' and init_cfg.get('checkpoint'), path


def test_every_paper_has_configs_and_a_tiny_synthetic_one():
    for paper in ('primaps', 'stego', 'smooseg', 'maskcontrast', 'hsg', 'baseline'):
        assert osp.isfile(osp.join(REPO_ROOT, 'configs', paper, 'tiny_synthetic.py')), paper
    assert osp.isfile(osp.join(REPO_ROOT, 'configs', 'primaps', 'dinov2_vitb14_cs.py'))
