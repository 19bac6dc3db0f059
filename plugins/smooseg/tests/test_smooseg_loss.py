import math

import pytest
import torch

from useg.registry import MODELS
from useg_smooseg.smooseg_loss import SmooSegLoss


def grid(*locations):
    """One image ``(1, C, 1, L)`` whose ``L`` locations hold the given channel vectors."""
    return torch.tensor(locations, dtype=torch.float32).t().reshape(1, -1, 1, len(locations))


def loop_smoothness(feats, probs, partner, shift, pointwise):
    """Entry-by-entry smoothness term, written independently of the vectorised loss."""
    batch, _, height, width = feats.shape
    locations = [(h, w) for h in range(height) for w in range(width)]
    cosine = torch.nn.functional.cosine_similarity
    correlation = torch.zeros(batch, len(locations), len(locations), dtype=torch.float64)
    dissimilarity = torch.zeros_like(correlation)
    for n in range(batch):
        m = int(partner[n])
        for q, (h, w) in enumerate(locations):
            for k, (i, j) in enumerate(locations):
                correlation[n, q, k] = cosine(feats[n, :, h, w], feats[m, :, i, j], dim=0)
                dissimilarity[n, q, k] = 1 - cosine(probs[n, :, h, w], probs[m, :, i, j], dim=0)
    if pointwise:
        correlation = (correlation - correlation.mean(2, keepdim=True)
                       + correlation.mean())
    return ((correlation - shift) * dissimilarity).mean(), dissimilarity.mean()


def test_is_registered_and_built_from_the_issue_dict():
    loss = MODELS.build(dict(type='SmooSegLoss', pos_intra_shift=-0.02, neg_inter_shift=0.5,
                             pointwise=True))
    assert isinstance(loss, SmooSegLoss)
    assert (loss.pos_intra_shift, loss.neg_inter_shift, loss.temperature) == (-0.02, 0.5, 0.1)


def test_hand_computed_single_image_without_centering():
    # F = [[1, 0], [0, 1]], Dp = [[0, 1], [1, 0]]
    feats = grid([1., 0.], [0., 1.])
    probs = grid([1., 0.], [0., 1.])
    loss = SmooSegLoss(pos_intra_shift=0.25, neg_inter_shift=0.5, pointwise=False)
    out = loss(feats, probs, perm=torch.tensor([0]))
    assert out['pos_intra_loss'].item() == pytest.approx(-0.125)  # 2 * (0 - 0.25) / 4
    assert out['neg_inter_loss'].item() == pytest.approx(-0.25)  # 2 * (0 - 0.5) / 4
    assert out['smooth_loss'].item() == pytest.approx(-0.375)
    assert out['pos_intra_cd'].item() == pytest.approx(0.5)


def test_hand_computed_pair_with_pointwise_centering():
    # image 0: features e1, e2 / labels e1, e2; image 1: features e1, e1 / labels e2, e2.
    feats = torch.cat([grid([1., 0.], [0., 1.]), grid([1., 0.], [1., 0.])])
    probs = torch.cat([grid([1., 0.], [0., 1.]), grid([0., 1.], [0., 1.])])
    loss = SmooSegLoss(pos_intra_shift=-0.25, neg_inter_shift=0.5, pointwise=True)
    out = loss(feats, probs, perm=torch.tensor([1, 0]))
    # self: centred F of image 0 = [[1.25, .25], [.25, 1.25]], Dp = [[0, 1], [1, 0]];
    # image 1 has Dp = 0 -> sum 2 * (0.25 + 0.25) = 1 over 8 entries.
    assert out['pos_intra_loss'].item() == pytest.approx(0.125)
    assert out['pos_intra_cd'].item() == pytest.approx(0.25)
    # other: centred F(0 vs 1) = 0.5 everywhere (zero energy at b = 0.5);
    # F(1 vs 0) = [[1, 0], [1, 0]] with Dp = [[1, 0], [1, 0]] -> 2 * 0.5 over 8 entries.
    assert out['neg_inter_loss'].item() == pytest.approx(0.125)
    assert out['neg_inter_cd'].item() == pytest.approx(0.5)
    assert out['smooth_loss'].item() == pytest.approx(0.25)


@pytest.mark.parametrize('pointwise', [True, False])
def test_matches_an_entry_by_entry_computation(pointwise):
    torch.manual_seed(0)
    feats = torch.randn(3, 5, 2, 3)
    probs = torch.softmax(torch.randn(3, 4, 2, 3) / 0.1, dim=1)
    perm = torch.tensor([2, 0, 0])  # a repeated partner, as the reference draw allows
    loss = SmooSegLoss(pos_intra_shift=-0.02, neg_inter_shift=0.48, pointwise=pointwise)
    out = loss(feats, probs, perm=perm)
    pos, pos_cd = loop_smoothness(feats.double(), probs.double(), torch.arange(3), -0.02,
                                  pointwise)
    neg, neg_cd = loop_smoothness(feats.double(), probs.double(), perm, 0.48, pointwise)
    for key, expected in (('pos_intra_loss', pos), ('pos_intra_cd', pos_cd),
                          ('neg_inter_loss', neg), ('neg_inter_cd', neg_cd),
                          ('smooth_loss', pos + neg)):
        assert out[key].item() == pytest.approx(expected.item(), abs=1e-6), key


def test_random_partner_comes_from_the_global_rng():
    torch.manual_seed(1)
    feats, probs = torch.randn(4, 3, 2, 2), torch.softmax(torch.randn(4, 5, 2, 2), dim=1)
    loss = SmooSegLoss(pos_intra_shift=0.1, neg_inter_shift=0.5)
    torch.manual_seed(7)
    drawn = loss(feats, probs)['neg_inter_loss']
    torch.manual_seed(7)
    permutation = torch.randperm(4)
    partner = torch.where(permutation == torch.arange(4), permutation + 1, permutation) % 4
    assert torch.allclose(drawn, loss(feats, probs, perm=partner)['neg_inter_loss'])


def test_gradient_reaches_the_assignments_only():
    torch.manual_seed(2)
    feats = torch.randn(2, 4, 3, 3, requires_grad=True)
    probs = torch.softmax(torch.randn(2, 3, 3, 3), dim=1).requires_grad_()
    out = SmooSegLoss(pos_intra_shift=0.0, neg_inter_shift=0.5)(feats, probs,
                                                               perm=torch.tensor([1, 0]))
    out['smooth_loss'].backward()
    assert feats.grad is None
    assert probs.grad is not None and probs.grad.abs().sum() > 0


def test_soft_assignments_use_the_temperature():
    cosine = torch.tensor([0.3, 0.1]).reshape(1, 2, 1, 1)
    probs = SmooSegLoss(0., 0.5, temperature=0.1).soft_assignments(cosine)
    assert probs[0, 0, 0, 0].item() == pytest.approx(1 / (1 + math.exp(-2.0)))


def test_data_loss_is_cross_entropy_of_raw_cosines_against_teacher_argmax():
    student = torch.tensor([0.5, -0.5]).reshape(1, 2, 1, 1)
    teacher = torch.tensor([0.1, 0.9]).reshape(1, 2, 1, 1)
    loss = SmooSegLoss(0., 0.5).data_loss(student, teacher)
    assert loss.item() == pytest.approx(math.log(1 + math.e))  # -log softmax([.5, -.5])[1]


def test_data_loss_averages_over_every_pixel():
    torch.manual_seed(4)
    student, teacher = torch.randn(2, 3, 2, 2), torch.randn(2, 3, 2, 2)
    logits = student.permute(0, 2, 3, 1).reshape(-1, 3)
    target = teacher.argmax(1).reshape(-1)
    expected = -torch.log_softmax(logits, 1)[torch.arange(8), target].mean()
    assert SmooSegLoss(0., 0.5).data_loss(student, teacher).item() == pytest.approx(
        expected.item(), abs=1e-6)


@pytest.mark.parametrize('feats_shape, probs_shape, match', [
    ((2, 4, 3), (2, 3, 3, 3), 'must be'),
    ((2, 4, 3, 3), (3, 3, 3, 3), 'share batch size'),
    ((2, 4, 3, 3), (2, 3, 3, 2), 'share batch size'),
])
def test_rejects_mismatched_inputs(feats_shape, probs_shape, match):
    with pytest.raises(ValueError, match=match):
        SmooSegLoss(0., 0.5)(torch.randn(feats_shape), torch.rand(probs_shape))


@pytest.mark.parametrize('perm, match', [
    (torch.tensor([0, 1, 2]), 'shape'),
    (torch.tensor([0., 1.]), 'integer'),
    (torch.tensor([0, 2]), 'lie in'),
])
def test_rejects_a_bad_partner_index(perm, match):
    with pytest.raises(ValueError, match=match):
        SmooSegLoss(0., 0.5)(torch.randn(2, 4, 2, 2), torch.rand(2, 3, 2, 2), perm=perm)


def test_rejects_bad_temperature_and_mismatched_data_term_inputs():
    with pytest.raises(ValueError, match='temperature'):
        SmooSegLoss(0., 0.5, temperature=0)
    with pytest.raises(ValueError, match='same shape'):
        SmooSegLoss(0., 0.5).data_loss(torch.randn(1, 3, 2, 2), torch.randn(1, 4, 2, 2))
