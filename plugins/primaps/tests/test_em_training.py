"""PriMaPs-EM numerics: focal weighting, majority vote, EMA warm-up, one EM step."""
import math

import pytest
import torch
import torch.nn.functional as F

import useg  # noqa: F401
from useg.utils import ema_update
from useg_primaps import (PriMaPsTeacherEMAHook, WeightNormPrototypes, em_step,
                          focal_cross_entropy, mask_majority_vote, teacher_decay)


def test_focal_cross_entropy_by_hand():
    # 2 pixels, 2 classes: logits (0, ln 3) -> p = (1/4, 3/4); (ln 3, 0) -> p = (3/4, 1/4)
    logits = torch.tensor([[0.0, math.log(3)], [math.log(3), 0.0]]).T.reshape(1, 2, 1, 2)
    labels = torch.tensor([[[1, 255]]])
    # mean confidence per class: (1/2, 1/2) -> weights (1/4, 1/4); CE(pixel 0, class 1) = -ln 3/4
    expected = 0.25 * -math.log(0.75) / 2  # ignored pixel counts in the mean
    torch.testing.assert_close(focal_cross_entropy(logits, labels), torch.tensor(expected))
    with pytest.raises(ValueError, match='labels'):
        focal_cross_entropy(logits, labels[0])


def test_focal_weights_follow_class_confidence():
    logits = torch.tensor([[2.0, 0.0], [2.0, 0.0]]).T.reshape(1, 2, 1, 2)
    p = torch.softmax(torch.tensor([2.0, 0.0]), 0)
    labels = torch.tensor([[[0, 1]]])
    ce = -torch.log(p)
    expected = ((1 - p[0]) ** 2 * ce[0] + (1 - p[1]) ** 2 * ce[1]) / 2
    torch.testing.assert_close(focal_cross_entropy(logits, labels, gamma=2.0), expected)


def test_mask_majority_vote_with_ties_and_ignore():
    classes = torch.tensor([[[0, 1, 1, 2], [2, 2, 3, 3]]])
    masks = torch.tensor([[[1, 1, 1, 255], [2, 2, 2, 2]]])
    labels = mask_majority_vote(classes, masks, num_classes=4)
    # mask 1: {0,1,1} -> 1; mask 2: {2,2,3,3} tie -> 2 (smallest); 255 stays ignore
    assert labels.tolist() == [[[1, 1, 1, 255], [2, 2, 2, 2]]]
    two_images = mask_majority_vote(torch.stack([classes[0], 3 - classes[0]]),
                                    torch.cat([masks, masks]), num_classes=4)
    assert two_images[1].tolist() == [[2, 2, 2, 255], [0, 0, 0, 0]]  # {1,1,0,0} tie -> 0


def test_teacher_decay_warm_up_schedule():
    assert [teacher_decay(k) for k in (1, 2)] == [0.0, 0.0]
    assert teacher_decay(3) == pytest.approx(2 / 3)
    assert teacher_decay(4) == pytest.approx(0.75)
    assert teacher_decay(49) == pytest.approx(1 - 1 / 49)
    assert teacher_decay(50) == teacher_decay(1000) == 0.98
    with pytest.raises(ValueError):
        teacher_decay(0)


class _Runner:
    def __init__(self, model):
        self.model, self.iter = model, 0


def test_ema_hook_updates_every_interval_on_g_and_v_separately():
    model = torch.nn.Module()
    model.student, model.teacher = WeightNormPrototypes(3, 2), WeightNormPrototypes(3, 2)
    hook, runner = PriMaPsTeacherEMAHook(interval=10), _Runner(model)
    teacher_v = model.teacher.weight_v.detach().clone()
    for step in (0, 5):
        runner.iter = step
        hook.after_train_iter(runner, step)
        assert torch.equal(model.teacher.weight_v, teacher_v)
    runner.iter = 10  # update 1: hard copy
    hook.after_train_iter(runner, 10)
    assert torch.equal(model.teacher.weight_v, model.student.weight_v)
    with torch.no_grad():
        model.student.weight_g.fill_(4.0)
    runner.iter = 30  # update 3: decay 2/3
    hook.after_train_iter(runner, 30)
    torch.testing.assert_close(model.teacher.weight_g, torch.full((2, 1, 1, 1), 2.0))


def test_weight_norm_prototypes_match_torch_weight_norm():
    prototypes = WeightNormPrototypes(4, 3)
    reference = torch.nn.utils.weight_norm(torch.nn.Conv2d(4, 3, 1, bias=False), dim=0)
    with torch.no_grad():
        reference.weight_v.copy_(prototypes.weight_v)
        reference.weight_g.fill_(1.0)
    code = torch.randn(2, 4, 3, 3)
    torch.testing.assert_close(prototypes(code), reference(code))


def test_one_em_step_on_tiny_tensors():
    teacher, student = WeightNormPrototypes(2, 2), WeightNormPrototypes(2, 2)
    teacher.set_prototypes(torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
    student.set_prototypes(torch.tensor([[1.0, 1.0], [-1.0, 1.0]]))
    # 1x2 code, mask ids at the same size (no resize): teacher classes (0, 1)
    code = torch.tensor([[[[2.0, 0.0]], [[1.0, 3.0]]]])  # pixel 0 = (2, 1), pixel 1 = (0, 3)
    masks = torch.tensor([[[1, 1]]])
    loss, labels, logits = em_step(teacher, student, code, code, masks, gamma=2.0)
    assert labels.tolist() == [[[0, 0]]]  # tie in mask 1 -> smallest class
    s = 2 ** -0.5
    expected_logits = torch.tensor([[s * 3, s * 3], [s * -1, s * 3]])  # (K, pixels)
    torch.testing.assert_close(logits[0, :, 0], expected_logits)
    probs = expected_logits.softmax(0)
    weight0 = (1 - probs[0].mean()) ** 2
    expected = (weight0 * -torch.log(probs[0])).mean()
    torch.testing.assert_close(loss, expected)
    loss.backward()
    assert student.weight_v.grad is not None and teacher.weight_v.grad is None


def test_ema_update_lerps_by_name():
    teacher, student = WeightNormPrototypes(2, 2), WeightNormPrototypes(2, 2)
    before = teacher.weight_v.detach().clone()
    ema_update(teacher, student, 0.75)
    torch.testing.assert_close(teacher.weight_v, 0.75 * before + 0.25 * student.weight_v)
