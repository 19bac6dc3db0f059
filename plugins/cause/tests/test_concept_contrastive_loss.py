"""ConceptContrastiveLoss: hand-computed pairs, self-pair removal, no NaN without positives."""
import math

import torch
import torch.nn.functional as F

from useg.registry import MODELS
from useg_cause import ConceptBank, ConceptContrastiveLoss

CODEBOOK = torch.eye(3)


def _loss():
    return MODELS.build(dict(type='ConceptContrastiveLoss', temperature=0.07, pos_threshold=0.3,
                             neg_threshold=0.1))


def test_hand_computed_single_image():
    # tokens 0, 1 share concept 0 (positives of each other), token 2 is concept 1 (negative)
    feats = CODEBOOK[torch.tensor([0, 0, 1])][None]
    student = F.normalize(torch.tensor([[[1., 0.], [1., 1.], [0., 1.]]]), dim=2)
    teacher = torch.tensor([[[1., 0.], [0., 1.], [1., 1.]]])
    t = F.normalize(teacher[0], dim=1)
    s = student[0]

    def nll(i, j):  # denominator: the positive j and the negative 2 (self pair excluded)
        logits = s[i] @ t.T / 0.07
        return -logits[j] + torch.log(logits[j].exp() + logits[2].exp())

    expected = (nll(0, 1) + nll(1, 0)) / 2
    loss = _loss()(feats, student, teacher, CODEBOOK)
    assert math.isclose(loss.item(), expected.item(), rel_tol=1e-5)


def test_gradient_reaches_the_student_only():
    torch.manual_seed(0)
    feats = CODEBOOK[torch.randint(3, (2, 6))]
    student = torch.randn(2, 6, 5, requires_grad=True)
    teacher = torch.randn(2, 6, 5, requires_grad=True)
    codebook = CODEBOOK.clone().requires_grad_()
    _loss()(feats, student, teacher, codebook).backward()
    assert student.grad is not None and student.grad.abs().sum() > 0
    assert teacher.grad is None and codebook.grad is None


def test_image_without_positives_contributes_no_term():
    # image 0: tokens of concept 0 (positives); image 1: one token of concept 2 only, whose
    # in-batch cosine to everything else is 0 -> no positive pair anywhere
    feats = torch.stack([CODEBOOK[torch.tensor([0, 0])], CODEBOOK[torch.tensor([2, 1])]])
    torch.manual_seed(1)
    student, teacher = torch.randn(2, 2, 4), torch.randn(2, 2, 4)
    loss_fn = _loss()
    loss = loss_fn(feats, student, teacher, CODEBOOK)
    assert torch.isfinite(loss)
    # equals the term of image 0 alone: the batch's teacher rows are the same candidates
    alone = loss_fn.pair_term(F.normalize(student[0], dim=1),
                              F.normalize(teacher.reshape(4, 4), dim=1),
                              CODEBOOK[torch.tensor([0, 0])] @ feats.reshape(4, 3).T, 0)
    torch.testing.assert_close(loss, alone)


def test_no_positive_anywhere_gives_zero_with_a_graph():
    feats = CODEBOOK[torch.tensor([[0, 1, 2]])]
    student = torch.randn(1, 3, 4, requires_grad=True)
    loss = _loss()(feats, student, torch.randn(1, 3, 4), CODEBOOK)
    assert loss.item() == 0.0
    loss.backward()
    assert torch.equal(student.grad, torch.zeros_like(student))


def test_bank_term_is_added_per_image():
    torch.manual_seed(2)
    feats = CODEBOOK[torch.tensor([[0, 0, 1, 1]])]
    student, teacher = torch.randn(1, 4, 4), torch.randn(1, 4, 4)
    bank = ConceptBank(3, size=10, keep=1.0)
    bank.update(feats, torch.randn(1, 4, 4), CODEBOOK)
    loss_fn = _loss()
    in_batch = loss_fn(feats, student, teacher, CODEBOOK)
    with_bank = loss_fn(feats, student, teacher, CODEBOOK, bank)
    proj, concepts = bank.tensors(CODEBOOK)
    bank_term = loss_fn.pair_term(F.normalize(student[0], dim=1), proj, feats[0] @ concepts.T)
    torch.testing.assert_close(with_bank, (in_batch + bank_term) / 2)
    torch.testing.assert_close(loss_fn(feats, student, teacher, CODEBOOK, (proj, concepts)),
                               with_bank)
