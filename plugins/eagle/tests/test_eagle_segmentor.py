"""EAGLESegmentor: defaults, prediction path, loss routing, schedule switch, optimiser steps."""
import torch
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmengine.registry import init_default_scope

import useg_eagle  # noqa: F401
from useg.registry import MODELS
from useg.testing import segmentation_batch
from useg_eagle import multilevel_keys

CODE_DIM, NUM_CLASSES = 6, 3


def build_model(**kwargs):
    init_default_scope('useg')
    torch.manual_seed(0)
    cfg = dict(
        type='EAGLESegmentor', num_classes=NUM_CLASSES,
        backbone=dict(type='DINOViT', arch='vit_tiny_p8'),
        head=dict(type='ProjectionHead', in_channels=96, channels=CODE_DIM),
        cluster_probe=dict(type='ClusterProbe', in_channels=CODE_DIM, num_clusters=NUM_CLASSES + 1),
        linear_probe=dict(type='LinearProbe', in_channels=CODE_DIM, num_classes=NUM_CLASSES),
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                               std=[58.395, 57.12, 57.375], bgr_to_rgb=True, size=(32, 32)),
        correlation_loss=dict(type='EAGLECorrelationLoss', feature_samples=3, neg_samples=2),
        key_blocks=(-2, -1), eigen_clusters=5, schedule=dict(start=1, limit=0.9))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def make_batch(batch_size=2, size=32):
    return segmentation_batch(NUM_CLASSES, batch_size, size)


def test_defaults_and_modules():
    model = build_model()
    assert model.test_cfg['flip'] is True and model.test_cfg['alpha'] == 4.0
    assert build_model(test_cfg=dict(crf=True)).test_cfg['alpha'] == 4.0
    assert build_model(test_cfg=dict(alpha=2.0)).test_cfg['alpha'] == 2.0
    assert tuple(model.projector.weight.shape) == (CODE_DIM, CODE_DIM)
    assert model.eigen_probe.clusters.shape == (5, 3) and model.eigen_probe_aug.num_clusters == 5
    inputs = torch.randn(2, 3, 32, 32)
    torch.testing.assert_close(model.extract_feat(inputs),
                               multilevel_keys(model.backbone, inputs, (-2, -1)))


def test_predict_is_flip_averaged_alpha4():
    model = build_model().eval()
    data = model.data_preprocessor(make_batch(), False)
    inputs = data['inputs']
    samples = model.predict(inputs, data['data_samples'])
    code = (model.encode(inputs)[1] + model.encode(inputs.flip(-1))[1].flip(-1)) / 2
    code = torch.nn.functional.interpolate(code, size=(32, 32), mode='bilinear', align_corners=False)
    log_probs = model.cluster_probe.log_probs(code, 4.0)
    torch.testing.assert_close(samples[0].seg_logits.data, log_probs[0])
    assert (samples[1].pred_sem_seg.data[0] == log_probs[1].argmax(0)).all()
    assert 'linear_pred_sem_seg' in samples[0]


def optim_wrappers(model):
    names = ('head', 'projector', 'cluster_probe', 'linear_probe', 'eigen_probe', 'eigen_probe_aug')
    return OptimWrapperDict(**{name: OptimWrapper(torch.optim.Adam(getattr(model, name).parameters(),
                                                                   lr=1e-2)) for name in names})


def test_schedule_switches_object_loss_and_every_optimiser_steps():
    model = build_model().train()
    wrappers = optim_wrappers(model)
    before = {name: [p.detach().clone() for p in getattr(model, name).parameters()]
              for name in wrappers.keys()}
    torch.manual_seed(3)
    logs = [model.train_step(make_batch(), wrappers) for _ in range(3)]
    assert int(model.completed_iters) == 3
    # steps 0, 1: u = 0 (no object loss); step 2 (2 completed > start 1): u = 0.9
    assert 'loss_obj' not in logs[1] and 'loss_obj' in logs[2] and 'loss_obj_aug' in logs[2]
    assert all('loss_eig' in log and 'loss_eig_aug' in log for log in logs)
    for name, params in before.items():
        changed = any(not torch.equal(p, q) for p, q in zip(params, getattr(model, name).parameters()))
        assert changed, name
    assert model.loss_optimizer('loss_eig_aug') == 'eigen_probe_aug'
    assert model.loss_optimizer('loss_eig') == 'eigen_probe'
    assert model.loss_optimizer('loss_obj') == 'head'


def test_loss_weights_follow_schedule():
    model = build_model(schedule=dict(start=0, limit=0.7)).train()
    data = model.data_preprocessor(make_batch(), True)
    torch.manual_seed(4)
    early = model.loss(data['inputs'], data['data_samples'])
    model.completed_iters.fill_(1)
    torch.manual_seed(4)
    late = model.loss(data['inputs'], data['data_samples'])
    torch.testing.assert_close(late['loss_pos_inter'], 0.3 * early['loss_pos_inter'])
    torch.testing.assert_close(late['loss_neg_inter'], 0.3 * early['loss_neg_inter'])
    torch.testing.assert_close(late['loss_eig'], early['loss_eig'])
    assert torch.isfinite(late['loss_obj']) and late['loss_obj'] > 0


def test_training_step_draw_order():
    model = build_model().train()
    data = model.data_preprocessor(make_batch(), True)
    inputs = data['inputs']
    torch.manual_seed(6)
    losses = model.loss(inputs, data['data_samples'])
    # blur draws, then per view code (two masks) and signal (one), then the loss's coords / perms
    torch.manual_seed(6)
    blurred = model.blurred(inputs)
    keys = model.extract_feat(inputs)
    views = [model.view(keys), model.view(keys), model.view(model.extract_feat(blurred))]
    expected = model.correlation_loss(*(v[0] for v in views), *(v[1] for v in views))
    for key in ('loss_pos_inter', 'loss_neg_inter'):
        torch.testing.assert_close(losses[key], expected[key])
