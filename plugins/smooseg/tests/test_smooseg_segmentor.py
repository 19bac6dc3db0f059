import pytest
import torch
from mmengine.optim import OptimWrapperDict
from mmseg.structures import SegDataSample

from useg.registry import MODELS, OPTIM_WRAPPER_CONSTRUCTORS
from useg_smooseg import SmooSegSegmentor

NUM_CLASSES = 3
MOMENTUM = 0.9


def build_model(**overrides):
    cfg = dict(
        type='SmooSegSegmentor',
        backbone=dict(type='DINOViT', arch='vit_tiny_p8'),
        num_classes=NUM_CLASSES,
        head=dict(type='ProjectionHead', in_channels=48, channels=8, dropout=0.2,
                  activation=dict(type='SiLU')),
        prototypes=dict(type='ClusterProbe', in_channels=8, num_clusters=NUM_CLASSES),
        loss=dict(type='SmooSegLoss', pos_intra_shift=-0.02, neg_inter_shift=0.5, pointwise=True),
        teacher_momentum=MOMENTUM,
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                               std=[58.395, 57.12, 57.375], bgr_to_rgb=True, size=(24, 24)))
    cfg.update(overrides)
    torch.manual_seed(0)
    return MODELS.build(cfg)


def build_optimizers(model, lr=0.05):
    constructor = OPTIM_WRAPPER_CONSTRUCTORS.build(dict(
        type='ModuleOptimWrapperConstructor',
        optim_wrapper_cfg=dict(
            head=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=lr)),
            student_prototypes=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=lr)))))
    return constructor(model)


def batch(seed=0, size=4):
    generator = torch.Generator().manual_seed(seed)
    images = torch.randint(0, 256, (size, 3, 24, 24), generator=generator, dtype=torch.uint8)
    return dict(inputs=list(images), data_samples=[SegDataSample() for _ in range(size)])


def test_prototypes_start_as_equal_unit_rows_and_the_teacher_is_frozen():
    model = build_model()
    student = model.student_prototypes.clusters
    teacher = model.teacher.clusters
    assert model.cluster_predictor is model.teacher and model.cluster_probe is None
    assert student.shape == (NUM_CLASSES, 8) and torch.equal(student, teacher)
    assert torch.allclose(student.norm(dim=1), torch.ones(NUM_CLASSES))
    assert student.requires_grad and not teacher.requires_grad


def test_gradient_routing():
    model = build_model()
    feats = torch.randn(2, 48, 3, 3)
    code = model.head(feats)
    code.retain_grad()
    losses = model.method_loss(feats, code, [])
    assert set(losses) >= {'loss_smooth', 'loss_data'}
    assert all('loss' not in key for key in set(losses) - {'loss_smooth', 'loss_data'})
    head_params = list(model.head.parameters())
    student = model.student_prototypes.clusters

    smooth_grads = torch.autograd.grad(losses['loss_smooth'], head_params + [student, code],
                                       allow_unused=True, retain_graph=True)
    assert all(g is not None and g.abs().sum() > 0 for g in smooth_grads[:len(head_params)])
    assert smooth_grads[-2] is None  # the student gets nothing from the smoothness term
    data_grads = torch.autograd.grad(losses['loss_data'], head_params + [student, code],
                                     allow_unused=True, retain_graph=True)
    assert all(g is None for g in data_grads[:len(head_params)]) and data_grads[-1] is None
    assert data_grads[-2].abs().sum() > 0  # the student learns from the data term only
    assert not model.teacher.clusters.requires_grad


def test_the_code_gradient_is_the_teacher_path_gradient():
    model = build_model()
    feats = torch.randn(2, 48, 3, 3)
    code = torch.randn(2, 8, 3, 3, requires_grad=True)
    torch.manual_seed(5)
    losses = model.method_loss(feats, code, [])
    total_grad, = torch.autograd.grad(losses['loss_smooth'] + losses['loss_data'], code)
    # The same smoothness term, built by hand from the teacher's cosines (same dropout / pairing).
    torch.manual_seed(5)
    signal = model.head.dropout_features(feats)
    probs = model.smooseg_loss.soft_assignments(model.teacher.cosine(code))
    teacher_grad, = torch.autograd.grad(model.smooseg_loss(signal, probs)['smooth_loss'], code)
    assert torch.allclose(total_grad, teacher_grad)


def test_losses_are_routed_to_their_optimisers():
    model = build_model()
    assert model.loss_optimizer('loss_data') == 'student_prototypes'
    assert model.loss_optimizer('loss_smooth') == 'head'
    assert model.loss_optimizer('loss_linear') == 'linear_probe'


def test_teacher_ema_runs_before_each_optimiser_step_across_two_steps():
    model = build_model()
    model.train()
    optimizers = build_optimizers(model)
    assert isinstance(optimizers, OptimWrapperDict)
    teacher = model.teacher.clusters
    student = model.student_prototypes.clusters
    expected = teacher.detach().clone()
    students = [student.detach().clone()]
    for step in range(2):
        log = model.train_step(batch(step), optimizers)
        assert {'loss', 'loss_smooth', 'loss_data'} <= set(log)
        students.append(student.detach().clone())
        # EMA of the student as it was *before* this step's Adam update.
        expected = MOMENTUM * expected + (1 - MOMENTUM) * students[step]
        assert torch.allclose(teacher, expected, atol=1e-7), step
    assert not torch.equal(students[0], students[1])  # Adam moved the student
    after_step = teacher.detach().clone()
    for moved in students[1:]:
        after_step = MOMENTUM * after_step + (1 - MOMENTUM) * moved
    assert not torch.allclose(teacher, after_step, atol=1e-5)  # the order is observable


def test_prediction_uses_the_teacher_with_alpha_two():
    model = build_model(test_cfg=dict(flip=True, alpha=2.0))
    model.eval()
    with torch.no_grad():
        model.teacher.clusters.add_(torch.randn(NUM_CLASSES, 8))
        data = model.data_preprocessor(batch(3, size=2), False)
        samples = model.predict(data['inputs'])
        code = model.predict_code(data['inputs'])
        code = torch.nn.functional.interpolate(code, size=(24, 24), mode='bilinear',
                                               align_corners=False)
        expected = torch.log_softmax(2 * model.teacher.cosine(code), dim=1)
    assert torch.allclose(samples[1].seg_logits.data, expected[1], atol=1e-5)


def test_rejects_a_missing_head_and_a_bad_momentum():
    with pytest.raises(ValueError, match='projection head'):
        build_model(head=None)
    with pytest.raises(ValueError, match='teacher_momentum'):
        build_model(teacher_momentum=1.5)
    assert isinstance(build_model(), SmooSegSegmentor)


def test_a_fixed_negative_pairing_reaches_the_loss():
    model = build_model()
    feats = torch.randn(3, 48, 3, 3)
    code = model.head(feats)
    model.negative_pairing = torch.tensor([2, 0, 1])
    torch.manual_seed(0)
    fixed = model.method_loss(feats, code, [])['smooth_neg_inter']
    torch.manual_seed(0)
    signal = model.head.dropout_features(feats)
    probs = model.smooseg_loss.soft_assignments(model.teacher.cosine(code))
    expected = model.smooseg_loss(signal, probs, perm=torch.tensor([2, 0, 1]))['neg_inter_loss']
    torch.testing.assert_close(fixed, expected)
