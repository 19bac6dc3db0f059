"""EAGLECorrelationLoss and ObjectContrastiveLoss against direct formulas."""
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope

import useg_eagle  # noqa: F401
from useg.registry import MODELS
from useg_stego import sample_locations


def corr(a, b):
    return torch.einsum('nchw,ncij->nhwij', F.normalize(a, dim=1, eps=1e-10),
                        F.normalize(b, dim=1, eps=1e-10))


def build(cfg):
    init_default_scope('useg')
    return MODELS.build(cfg)


def test_correlation_term_shift_is_differentiable():
    loss = build(dict(type='EAGLECorrelationLoss', shift_bias=0.1))
    torch.manual_seed(0)
    f1, f2 = torch.randn(2, 6, 3, 3), torch.randn(2, 6, 3, 3)
    c1 = torch.randn(2, 4, 3, 3, requires_grad=True)
    c2 = torch.randn(2, 4, 3, 3)
    for positive in (True, False):
        loss_map, code_corr = loss.correlation_term(f1, f2, c1, c2, positive)
        fd = corr(f1, f2)
        m = fd.mean()
        fd = fd - fd.mean((3, 4), keepdim=True)
        fd = fd - fd.mean() + m
        cd = corr(c1, c2)
        shift = ((fd.mean() - cd.mean() - 0.1).abs() if positive
                 else (fd.mean() + cd.mean() - 0.1) * 3.5)
        expected = -cd.clamp(0, 0.8) * (fd - shift)
        torch.testing.assert_close(loss_map, expected)
        torch.testing.assert_close(code_corr, cd)
        grad, = torch.autograd.grad(loss_map.mean(), c1)
        ref, = torch.autograd.grad(expected.mean(), c1)
        torch.testing.assert_close(grad, ref)
    # the shift's mean(cd) carries gradient: a detached shift gives another gradient
    loss_map, _ = loss.correlation_term(f1, f2, c1, c2, True)
    cd = corr(c1, c2)
    fd = corr(f1, f2)
    fd = fd - fd.mean((3, 4), keepdim=True) + fd.mean((3, 4), keepdim=True).mean()
    detached = -cd.clamp(0, 0.8) * (fd - (fd.mean() - cd.mean().detach()).abs())
    grad, = torch.autograd.grad(loss_map.mean(), c1)
    other, = torch.autograd.grad(detached.mean(), c1)
    assert not torch.allclose(grad, other)


def test_forward_terms_with_given_draws():
    loss = build(dict(type='EAGLECorrelationLoss', feature_samples=3, neg_samples=2))
    torch.manual_seed(1)
    feats, feats_pos, feats_aug = (torch.randn(3, 6, 4, 4) for _ in range(3))
    code, code_pos, code_aug = (torch.randn(3, 5, 4, 4) for _ in range(3))
    coords = [torch.rand(3, 3, 3, 2) * 2 - 1 for _ in range(3)]
    perms = torch.tensor([[1, 2, 0], [2, 0, 1]])
    out = loss(feats, feats_pos, feats_aug, code, code_pos, code_aug, *coords, perms=perms)
    s = sample_locations
    pos, pos_corr = loss.correlation_term(s(feats_aug, coords[2]), s(feats_pos, coords[1]),
                                          s(code_aug, coords[2]), s(code_pos, coords[1]), True)
    negs = [loss.correlation_term(s(feats, coords[0]), s(feats[p], coords[1]), s(code, coords[0]),
                                  s(code[p], coords[1]), False)[0] for p in perms]
    torch.testing.assert_close(out['loss_pos_inter'], 0.25 * pos.mean())
    torch.testing.assert_close(out['loss_neg_inter'], 0.63 * torch.cat(negs).mean())
    torch.testing.assert_close(out['code_corr_pos_inter'], pos_corr.mean())
    # drawn coordinates follow the order 1, 2, 3 with torch.rand * 2 - 1
    torch.manual_seed(7)
    drawn = loss(feats, feats_pos, feats_aug, code, code_pos, code_aug, perms=perms)
    torch.manual_seed(7)
    again = [torch.rand(3, 3, 3, 2) * 2 - 1 for _ in range(3)]
    given = loss(feats, feats_pos, feats_aug, code, code_pos, code_aug, *again, perms=perms)
    for key in drawn:
        torch.testing.assert_close(drawn[key], given[key])


def reference_objnce(z, z_other, labels, weights, T=0.07, g=0.7, eps=0.0):
    present = sorted(set(labels.tolist()))
    cents = []
    for u in present:
        rows = z[labels == u]
        dists = torch.stack([sum((rows[t] - rows[s]).norm() for s in range(len(rows)))
                             for t in range(len(rows))])
        cents.append(rows[int(torch.argmin(dists))])
    cents = torch.stack(cents)
    target = torch.tensor([present.index(v) for v in labels.tolist()])
    total = []
    for x in (z, z_other):
        logits = x @ cents.t() / T
        logp = logits.log_softmax(1)
        if eps == 0:
            total.append((weights * -logp[torch.arange(len(x)), target]).mean())
        else:
            U = len(present)
            dist = torch.full_like(logp, eps / (U - 1) if U > 1 else 0.0)
            dist[torch.arange(len(x)), target] = 1 - eps
            total.append(-(dist * logp).sum(1).mean() * weights.mean())
    return ((1 - g) * total[0] + g * total[1]) / 2


def test_object_contrastive_loss_medoids_and_smoothing():
    torch.manual_seed(2)
    z = F.normalize(torch.randn(12, 4), dim=1).requires_grad_()
    z_other = F.normalize(torch.randn(12, 4), dim=1)
    labels = torch.tensor([5, 1, 1, 5, 3, 3, 3, 1, 5, 5, 3, 1])
    weights = torch.rand(12)
    for eps in (0.0, 0.1):
        loss = build(dict(type='ObjectContrastiveLoss', label_smoothing=eps))
        value = loss(z, z_other, labels, weights)
        torch.testing.assert_close(value, reference_objnce(z, z_other, labels, weights, eps=eps))
    value.backward()
    assert z.grad.abs().sum() > 0
    # one label present: zero, no NaN
    single = build(dict(type='ObjectContrastiveLoss', label_smoothing=0.1))(
        z, z_other, torch.zeros(12, dtype=torch.long), weights)
    assert torch.isfinite(single) and single == 0
