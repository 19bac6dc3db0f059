"""HPSegmentor: the training step's dropout order, EMA update, pools, optimiser routing, tiny run."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmengine.registry import init_default_scope

from useg.registry import MODELS
from useg.testing import segmentation_batch
from useg_hp import (HPSegmentor, hp_lambda, local_propagation_weights, patch_attention_logits,
                     propagate_locally)

CODE_DIM, NUM_CLASSES = 6, 3


def build(**kwargs):
    init_default_scope('useg')
    torch.manual_seed(0)
    return MODELS.build(dict(
        type='HPSegmentor', num_classes=NUM_CLASSES,
        backbone=dict(type='DINOViT', arch='vit_tiny_p8'),
        head=dict(type='ProjectionHead', in_channels=48, channels=CODE_DIM, dropout=0.1),
        cluster_probe=dict(type='ClusterProbe', in_channels=CODE_DIM, num_clusters=NUM_CLASSES),
        linear_probe=dict(type='LinearProbe', in_channels=CODE_DIM, num_classes=NUM_CLASSES),
        hidden_positive_loss=dict(type='HiddenPositiveLoss', temperature=0.6, rho=0.5),
        pool_size=4, warmup=1, ema_momentum=0.9,
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                               std=[58.395, 57.12, 57.375], bgr_to_rgb=True, size=(32, 32)),
        **kwargs))


def make_batch(batch_size=2, size=32):
    return segmentation_batch(NUM_CLASSES, batch_size, size)


def test_construction_copies_the_head():
    model = build()
    for (name, p), (_, q) in zip(model.head.named_parameters(), model.ema_head.named_parameters()):
        assert torch.equal(p, q) and not q.requires_grad, name
    assert model.projector.in_features == model.projector.out_features == CODE_DIM
    assert model.test_cfg['flip'] is False and model.test_cfg['alpha'] == 2
    assert model.pool_feats.shape == (4, 48) and model.pool_code.shape == (4, CODE_DIM)


def test_pools_are_built_and_refreshed():
    model = build()
    inputs = model.data_preprocessor(make_batch(), False)['inputs']
    model.pool_rng = np.random.default_rng(0)
    model.refresh_reference_pools([inputs, inputs, inputs])
    feats = model.backbone(inputs)
    rng = np.random.default_rng(0)
    draws = [[int(rng.integers(0, 16)) for _ in range(2)] for _ in range(4)]
    tokens = feats.flatten(2).transpose(1, 2)
    expected = torch.stack([tokens[j, draws[k][j]] for k in (0, 2) for j in range(2)])
    torch.testing.assert_close(model.pool_feats, F.normalize(expected, dim=1))
    model.ema_head.eval()  # pools are built without dropout by default
    code = model.ema_head(feats).flatten(2).transpose(1, 2)
    expected = torch.stack([code[j, draws[k][j]] for k in (1, 3) for j in range(2)])
    torch.testing.assert_close(model.pool_code, F.normalize(expected, dim=1))
    before = model.pool_feats.clone()
    model.refresh_reference_pools([inputs, inputs], feature_pool=False)
    assert torch.equal(model.pool_feats, before)
    assert (model.pool_code.norm(dim=1) - 1).abs().max() < 1e-5


def test_loss_draws_masks_in_reference_order_and_updates_the_ema():
    model = build(consistency_weight=0.0)
    model.train()
    data = model.data_preprocessor(make_batch(), True)
    inputs = data['inputs']
    model.refresh_reference_pools([inputs])
    model.iteration, model.max_iters = 3, 5
    head_state = {k: v.clone() for k, v in model.head.state_dict().items()}
    ema_state = {k: v.clone() for k, v in model.ema_head.state_dict().items()}
    torch.manual_seed(7)
    generator_state = torch.get_rng_state()
    losses = model.loss(inputs, data['data_samples'])
    # restatement: same draws, same order
    head = MODELS.build(dict(type='ProjectionHead', in_channels=48, channels=CODE_DIM))
    ema = MODELS.build(dict(type='ProjectionHead', in_channels=48, channels=CODE_DIM))
    head.load_state_dict(head_state), ema.load_state_dict(ema_state)
    head.train(), ema.train()
    torch.set_rng_state(generator_state)
    feats = model.backbone(inputs)
    weights = local_propagation_weights(patch_attention_logits(model.backbone, inputs), (4, 4))
    drop = head.dropout
    code = head.linear(drop(feats))
    code_ema = ema.linear(drop(feats))
    code = code + head.nonlinear(drop(feats))
    code_ema = code_ema + ema.nonlinear(drop(feats))
    signal, code_ema, local = drop(feats), drop(code_ema), drop(propagate_locally(code, weights))
    flat = lambda x: x.permute(0, 2, 3, 1).reshape(-1, x.shape[1])
    project = lambda x: F.normalize(model.projector(flat(x)), dim=1)
    expected = model.hidden_positive_loss(
        project(code), project(local), F.normalize(flat(signal), dim=1),
        F.normalize(flat(code_ema), dim=1), model.pool_feats, model.pool_code,
        hp_lambda(3, 1, 5), 16)
    torch.testing.assert_close(losses['loss_hp'], expected['loss'])
    assert losses['hp_lambda'] == 0.5
    for name, value in model.ema_head.state_dict().items():
        torch.testing.assert_close(value, 0.9 * ema_state[name] + 0.1 * head_state[name])
    assert {'loss_hp', 'loss_cluster', 'loss_linear'} <= set(losses)


def test_train_step_steps_head_and_projector_and_predicts_without_them():
    model = build()
    data = make_batch()
    model.refresh_reference_pools([model.data_preprocessor(data, False)['inputs']])
    wrappers = OptimWrapperDict(**{
        name: OptimWrapper(torch.optim.SGD(getattr(model, name).parameters(), lr=0.1))
        for name in ('head', 'projector', 'cluster_probe', 'linear_probe')})
    before = {name: [p.clone() for p in getattr(model, name).parameters()]
              for name in ('head', 'projector')}
    model.train()
    log = model.train_step(data, wrappers)
    assert 'loss_consistency' in log and torch.isfinite(log['loss'])
    for name, params in before.items():
        assert any(not torch.equal(p, q) for p, q in zip(params, getattr(model, name).parameters()))
        assert all(p.grad is None or p.grad.abs().sum() == 0 for p in getattr(model, name).parameters())
    model.eval()
    model.projector = None
    model.ema_head = None
    out = model.predict(model.data_preprocessor(data, False)['inputs'], make_batch()['data_samples'])
    assert out[0].pred_sem_seg.data.shape == (1, 32, 32)


def test_tiny_config_trains_with_pool_refreshes(train_test, monkeypatch):
    calls = []
    refresh = HPSegmentor.refresh_reference_pools

    def counting(self, batches, feature_pool=True):
        calls.append(feature_pool)
        return refresh(self, batches, feature_pool)

    monkeypatch.setattr(HPSegmentor, 'refresh_reference_pools', counting)
    metrics = train_test('configs/hp/tiny_synthetic.py')
    # pools built once, then the code pool at index 2 of each 4-iteration epoch (iterations 2, 6)
    assert calls == [True, False, False]
    assert metrics['cluster/mIoU'] > 40


def test_loss_runs_the_backbone_once(monkeypatch):
    model = build(consistency_weight=0.0)
    model.train()
    data = model.data_preprocessor(make_batch(), True)
    model.refresh_reference_pools([data['inputs']])
    calls = []
    forward_features = model.backbone.forward_features
    monkeypatch.setattr(model.backbone, 'forward_features',
                        lambda *args, **kwargs: calls.append(1) or forward_features(*args, **kwargs))
    model.loss(data['inputs'], data['data_samples'])
    assert len(calls) == 1
