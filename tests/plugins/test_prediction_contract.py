"""Every method's tiny model predicts through the core contract: one backbone pass per view."""
import os.path as osp

import pytest
import torch
from mmengine.registry import init_default_scope

from tests.models.test_segmentor import batch
from useg.apis import load_config
from useg.registry import MODELS
from useg.testing import tiny_configs

TINY_CONFIGS = tiny_configs()  # the baseline's and every installed plugin's


def build_tiny_model(config, flip):
    cfg = load_config(config)
    init_default_scope('useg')
    model_cfg = cfg.model.copy()
    if cfg.model.type != 'MaskContrastSegmentor':  # MaskContrast has no flip path (an error)
        model_cfg['test_cfg'] = dict(cfg.model.get('test_cfg') or {}, flip=flip)
    model = MODELS.build(model_cfg).eval()
    if hasattr(model, 'set_memory_bank'):  # HSG: exercise its retrieval prediction as well
        bank = torch.nn.functional.normalize(torch.randn(6, model.head[-1].out_channels), dim=1)
        model.set_memory_bank(bank, torch.arange(6) % model.num_classes)
    return model


@pytest.mark.parametrize('flip', [False, True])
@pytest.mark.parametrize('config', TINY_CONFIGS, ids=lambda path: path.split(osp.sep)[-2])
def test_predict_runs_the_backbone_once_per_view(config, flip):
    torch.manual_seed(0)
    model = build_tiny_model(config, flip)
    calls = []
    model.backbone.register_forward_hook(lambda *args: calls.append(1))
    with torch.no_grad():
        samples = model.test_step(batch(num=2, size=(32, 32)))
    views = 2 if model.test_cfg['flip'] else 1
    assert len(calls) == views, (config, len(calls))
    assert all(sample.pred_sem_seg.shape == (32, 32) for sample in samples)
    assert int(max(sample.pred_sem_seg.data.max() for sample in samples)) < model.num_clusters
    if type(model).__name__ == 'PriMaPsEMSegmentor':  # (CAUSE's `student` is a head, no field)
        assert all('student_pred_sem_seg' in sample for sample in samples)
    if hasattr(model, 'set_memory_bank'):
        assert all('retrieval_pred_sem_seg' in sample for sample in samples)
