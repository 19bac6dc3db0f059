"""CAUSESegmentor steps: EMA teacher (clean and faithful start), bank update, stage switch (MLP head)."""
import copy

import pytest
import torch
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from useg.registry import MODELS

SIZE, CLASSES = 64, 4


def _model(faithful, leaky=False):
    import useg_cause  # noqa: F401
    torch.manual_seed(0)
    model = MODELS.build(dict(
        type='CAUSESegmentor', num_classes=CLASSES, faithful=faithful, head_iters=1,
        leaky_finetune=leaky,
        backbone=dict(type='DINOViT', arch='vit_tiny_p8', init_cfg=None),
        head=dict(type='CAUSEHead', structure='mlp', in_channels=48, channels=8),
        projection_channels=16, num_codebook=8,
        contrastive_loss=dict(type='ConceptContrastiveLoss'),
        modularity_loss=dict(type='ModularityLoss'),
        cluster_probe=dict(type='ClusterProbe', in_channels=8, num_clusters=CLASSES),
        linear_probe=dict(type='LinearProbe', in_channels=8, num_classes=CLASSES),
        train_cfg=dict(train_cluster_probe=False),
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                               std=[58.395, 57.12, 57.375], bgr_to_rgb=True, size_divisor=8)))
    model.set_codebook(torch.randn(8, 48))
    names = ('segment', 'cluster_probe') if faithful else ('student', 'cluster_probe', 'linear_probe')
    wrappers = OptimWrapperDict(**{
        name: OptimWrapper(torch.optim.Adam(getattr(model, name).parameters(), lr=1e-2))
        for name in names})
    return model.train(), wrappers


def _batch():
    generator = torch.Generator().manual_seed(1)
    samples = []
    for _ in range(2):
        sample = SegDataSample(metainfo=dict(img_shape=(SIZE, SIZE), ori_shape=(SIZE, SIZE)))
        sample.gt_sem_seg = PixelData(data=torch.randint(0, CLASSES, (1, SIZE, SIZE), generator=generator))
        samples.append(sample)
    inputs = [torch.randint(0, 256, (3, SIZE, SIZE), dtype=torch.uint8, generator=generator)
              for _ in range(2)]
    return dict(inputs=inputs, data_samples=samples)


@pytest.mark.parametrize('faithful', [False, True])
def test_first_step_ema_bank_and_stage_switch(faithful):
    model, wrappers = _model(faithful)
    before = copy.deepcopy(model.student.state_dict())
    torch.testing.assert_close(model.teacher.state_dict(), before)  # the teacher starts as a copy
    log = model.train_step(_batch(), wrappers)
    assert 'loss_front' in log and 'loss_linear' in log and 'loss_cluster' not in log
    assert int(model.iteration) == 1 and not model.in_head_stage
    after = model.student.state_dict()
    assert any(not torch.equal(after[k], before[k]) for k in after)
    for key, value in model.teacher.state_dict().items():
        expected = after[key] if faithful else 0.99 * before[key] + 0.01 * after[key]
        torch.testing.assert_close(value, expected)
    assert len(model.bank) > 0  # teacher projections of the step were banked

    # stage 3: only the centroids and the linear probe learn
    student, teacher = copy.deepcopy(model.student.state_dict()), copy.deepcopy(model.teacher.state_dict())
    clusters = model.cluster_probe.clusters.detach().clone()
    banked = len(model.bank)
    log = model.train_step(_batch(), wrappers)
    assert 'loss_cluster' in log and 'loss_front' not in log
    for key, value in model.student.state_dict().items():
        assert torch.equal(value, student[key])
    for key, value in model.teacher.state_dict().items():
        assert torch.equal(value, teacher[key])
    assert not torch.equal(model.cluster_probe.clusters, clusters)
    assert len(model.bank) == banked


@pytest.mark.parametrize('faithful', [False, True])
def test_clipping_is_joint_only_in_faithful_mode(faithful):
    model, _ = _model(faithful)
    max_norm = 1e-4  # far below the gradient norm: every clip is active

    def sgd(module):
        return OptimWrapper(torch.optim.SGD(module.parameters(), lr=1.0),
                            clip_grad=dict(max_norm=max_norm))

    names = ('segment', ) if faithful else ('student', 'linear_probe')
    wrappers = OptimWrapperDict(cluster_probe=sgd(model.cluster_probe),
                                **{name: sgd(getattr(model, name)) for name in names})
    before = copy.deepcopy(model.segment.state_dict())
    model.train_step(_batch(), wrappers)
    after = model.segment.state_dict()
    delta = torch.cat([(after[key] - before[key]).flatten() for key in after
                       if not key.startswith('teacher.')])  # student + probe (teacher: EMA)
    # SGD with lr 1 moves by the clipped gradient: one norm of max_norm over student + probe, or
    # one max_norm for each of the two optimisers
    expected = max_norm if faithful else max_norm * 2 ** 0.5
    assert abs(delta.norm().item() - expected) < 1e-3 * expected


def test_leaky_finetune_trains_the_evaluated_head_only_when_asked():
    with pytest.raises(ValueError, match='faithful'):
        _model(False, leaky=True)
    for leaky in (False, True):
        model, wrappers = _model(True, leaky=leaky)
        model.train_step(_batch(), wrappers)  # stage 2
        teacher = copy.deepcopy(model.teacher.state_dict())
        student = copy.deepcopy(model.student.state_dict())
        model.train_step(_batch(), wrappers)  # stage 3
        changed = [key for key, value in model.teacher.state_dict().items()
                   if not torch.equal(value, teacher[key])]
        assert bool(changed) == leaky
        assert all(key.startswith('head.') for key in changed)  # not the projection
        for key, value in model.student.state_dict().items():
            assert torch.equal(value, student[key])


def test_stage_three_log_does_not_repeat_stage_two_scalars():
    from mmengine.logging import MessageHub

    from useg_cause.cause_segmentor import STAGE_TWO_SCALARS, forget_logged_scalars
    hub = MessageHub.get_instance('cause_stage_three_log')
    for name in (*STAGE_TWO_SCALARS, 'train/loss_cluster'):
        hub.update_scalar(name, 1.0)
    forget_logged_scalars(STAGE_TWO_SCALARS)
    assert set(hub.log_scalars) == {'train/loss_cluster'}
