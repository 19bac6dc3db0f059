"""Every method's frozen backbone pass runs in ``model.backbone_precision`` (fp32: as before)."""
import os.path as osp

import pytest
import torch

from tests.models.test_segmentor import batch
from tests.plugins.test_prediction_contract import TINY_CONFIGS, build_tiny_model
from useg.models import UnsupervisedSegmentor
from useg.testing import load_script

# methods whose backbone is trained: their training passes keep the trainer's precision
TRAINED_BACKBONES = {'HSGSegmentor', 'MaskContrastSegmentor'}


def plain_pass(self, forward, inputs, backbone=None):
    """The frozen pass as it was before ``backbone_precision``: the call itself."""
    return forward(inputs)


def autocast_seen(model):
    """Hooks on every backbone module; returns the list of ``autocast dtype or None`` they saw."""
    seen = []

    def record(*args):
        seen.append(torch.get_autocast_dtype('cpu') if torch.is_autocast_enabled('cpu') else None)

    for module in model.backbone.modules():
        module.register_forward_pre_hook(record)
    return seen


def tiny_model(config, precision):
    model = build_tiny_model(config, flip=True)
    model.backbone_precision = precision
    return model


@pytest.mark.parametrize('config', TINY_CONFIGS, ids=lambda path: path.split(osp.sep)[-2])
def test_prediction_runs_the_backbone_in_the_precision_and_fp32_is_unchanged(config, monkeypatch):
    data = batch(num=2, size=(32, 32))
    torch.manual_seed(0)
    model = tiny_model(config, 'bf16')
    seen = autocast_seen(model)
    with torch.no_grad():
        half = model.test_step(data)
    assert seen and set(seen) == {torch.bfloat16}, config
    assert all(sample.pred_sem_seg.shape == (32, 32) for sample in half)
    if 'seg_logits' in half[0]:
        assert half[0].seg_logits.data.dtype == torch.float32

    torch.manual_seed(0)
    model = tiny_model(config, 'fp32')
    seen = autocast_seen(model)
    with torch.no_grad():
        full = model.test_step(data)
    assert seen and set(seen) == {None}, config
    monkeypatch.setattr(UnsupervisedSegmentor, 'frozen_pass', plain_pass)
    torch.manual_seed(0)
    model = tiny_model(config, 'fp32')
    with torch.no_grad():
        before = model.test_step(data)
    for now, then in zip(full, before):
        for key in now.keys():
            if key.endswith('sem_seg') or key == 'seg_logits':
                assert torch.equal(now.get(key).data, then.get(key).data), (config, key)


@pytest.mark.parametrize('config', TINY_CONFIGS, ids=lambda path: path.split(osp.sep)[-2])
def test_training_pass_is_in_the_precision_unless_the_backbone_is_trained(config):
    model = tiny_model(config, 'bf16').train()
    seen = autocast_seen(model)
    inputs = torch.randn(2, 3, 32, 32)
    feats = model.extract_feat(inputs)
    trained = type(model).__name__ in TRAINED_BACKBONES
    assert set(seen) == ({None} if trained else {torch.bfloat16}), config
    assert feats.dtype == torch.float32
    if trained:  # the same backbone without gradients (validation) runs in bf16
        seen.clear()
        with torch.no_grad():
            model.extract_feat(inputs)
        assert set(seen) == {torch.bfloat16}


def test_fp32_leaves_an_outer_autocast_in_effect():
    """``--amp`` wraps the whole step: with 'fp32' the backbone still sees that autocast."""
    model = tiny_model(TINY_CONFIGS[0], 'fp32')
    seen = autocast_seen(model)
    with torch.no_grad(), torch.autocast('cpu', dtype=torch.bfloat16):
        model.extract_feat(torch.randn(1, 3, 32, 32))
    assert set(seen) == {torch.bfloat16}


def test_hp_training_step_passes_run_in_the_precision():
    hp_tests = load_script('plugins', 'hp', 'tests', 'test_hp_segmentor.py')
    build, make_batch = hp_tests.build, hp_tests.make_batch
    for precision, expected in (('bf16', torch.bfloat16), ('fp32', None)):
        model = build(backbone_precision=precision).train()
        data = model.data_preprocessor(make_batch(), True)
        model.refresh_reference_pools([data['inputs']])
        seen = autocast_seen(model)
        losses = model.loss(data['inputs'], data['data_samples'])
        assert seen and set(seen) == {expected}
        assert torch.isfinite(losses['loss_hp']) and losses['loss_hp'].dtype == torch.float32


def test_kmeans_baseline_runs_the_backbone_in_the_config_precision(synthetic_data_root,
                                                                   monkeypatch):
    from useg.apis import load_config, set_data_root
    from useg.evaluation import config_kmeans_baseline
    from useg.models.backbones import DINOViT
    seen = []
    forward = DINOViT.forward
    monkeypatch.setattr(DINOViT, 'forward', lambda self, x: seen.append(
        torch.get_autocast_dtype('cpu') if torch.is_autocast_enabled('cpu') else None)
        or forward(self, x))
    cfg = load_config(osp.join(osp.dirname(TINY_CONFIGS[0]), '..', 'baseline', 'tiny_synthetic.py'))
    set_data_root(cfg, synthetic_data_root)
    results = {}
    for precision in ('fp32', 'bf16'):
        seen.clear()
        cfg.model.backbone_precision = precision
        results[precision] = config_kmeans_baseline(cfg.copy(), seeds=(0, ), restarts=1)[1][0]
        assert set(seen) == {None if precision == 'fp32' else torch.bfloat16}
    assert abs(results['fp32']['miou'] - results['bf16']['miou']) < 5
