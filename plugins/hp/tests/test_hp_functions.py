"""HP's public calls against direct, slow restatements of the spec."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from useg.registry import MODELS
from useg_hp import (HPConsistencyLoss, HiddenPositiveLoss, build_reference_pool,
                     convert_reference_state_dict, draw_pool_indices, hidden_positive_masks,
                     hp_lambda, local_propagation_weights, patch_attention_logits,
                     propagate_locally, should_renew_pool)


def unit(*shape, seed=0):
    return F.normalize(torch.randn(*shape, generator=torch.Generator().manual_seed(seed)), dim=-1)


def test_patch_attention_logits_match_the_last_block():
    backbone = MODELS.build(dict(type='DINOViT', arch='vit_tiny_p8'))
    images = torch.randn(2, 3, 16, 24)
    logits = patch_attention_logits(backbone, images)
    encoder = backbone.encoder
    x = encoder.norm_pre(encoder._pos_embed(encoder.patch_embed(images)))
    for block in encoder.blocks[:-1]:
        x = block(x)
    attn = encoder.blocks[-1].attn
    qkv = attn.qkv(encoder.blocks[-1].norm1(x)).reshape(2, x.shape[1], 3, attn.num_heads, -1)
    q, k = qkv[:, :, 0].transpose(1, 2), qkv[:, :, 1].transpose(1, 2)
    expected = (q @ k.transpose(-2, -1) * attn.scale)[:, :, 1:, 1:]
    assert logits.shape == (2, attn.num_heads, 6, 6) and logits.dtype == torch.float32
    torch.testing.assert_close(logits, expected)
    # softmaxed CLS row of the full scores = the backbone's own CLS attention
    cls = (q[:, :, :1] @ k.transpose(-2, -1) * attn.scale).softmax(-1)[:, :, 0, 1:]
    torch.testing.assert_close(backbone.forward_features(images, return_attention=True)['attention'],
                               cls)


def slow_weights(attn, h, w, sigma=28.0):
    attn = attn.mean(1)
    out = torch.zeros_like(attn)
    for b in range(attn.shape[0]):
        for i in range(h * w):
            row = attn[b, i]
            lo, hi = torch.quantile(row, 0.1), torch.quantile(row, 0.9)
            row = row.clamp(lo, hi).softmax(-1) * sigma
            row = torch.where(row < row.mean(), 0.0, row)
            yi, xi = divmod(i, w)
            near = [y * w + x for y in range(yi - 1, yi + 2) for x in range(xi - 1, xi + 2)
                    if 0 <= y < h and 0 <= x < w]
            for j in near:
                out[b, i, j] = row[j] / len(near)
    return out


def test_local_propagation_weights_and_propagation():
    h, w = 3, 4
    attn = torch.randn(2, 3, h * w, h * w, generator=torch.Generator().manual_seed(0))
    weights = local_propagation_weights(attn, (h, w))
    torch.testing.assert_close(weights, slow_weights(attn, h, w))
    torch.testing.assert_close(local_propagation_weights(attn.mean(1), (h, w)), weights)
    assert (weights[:, 0, [2, 3, 6, 7, 8, 9, 10, 11]] == 0).all() and (weights > 0).sum() > 24
    code = torch.randn(2, 5, h, w, requires_grad=True)
    out = propagate_locally(code, weights)
    expected = torch.einsum('bij,bdj->bdi', weights, code.flatten(2)).reshape(2, 5, h, w)
    torch.testing.assert_close(out, expected)
    out[0, :, 1, 1].sum().backward()
    torch.testing.assert_close(code.grad[0].sum(0).flatten(), 5 * weights[0, 1 * w + 1])


def test_hidden_positive_masks_rule_and_blocks():
    feats, pool = unit(12, 6), unit(5, 6, seed=1)
    sim, thr = feats @ feats.t(), (feats @ pool.t()).max(1).values
    expected = (sim > thr[:, None]) | (sim > thr[None])
    expected.fill_diagonal_(False)
    masks = hidden_positive_masks(feats, pool)
    assert masks.dtype == torch.bool and torch.equal(masks, expected) and torch.equal(masks, masks.t())
    assert torch.equal(hidden_positive_masks(feats, pool, tokens_per_image=4), expected)


def slow_hp_loss(z, zl, f, e, pf, pe, lmbd, n, neglect, tau, reweight=True, base=0.07):
    pa, ps = hidden_positive_masks(f, pf), hidden_positive_masks(e, pe)
    total = {'g': 0.0, 'l': 0.0}
    num_images = len(z) // n
    for b in range(num_images):
        rows = slice(b * n, b * n + n)
        a, s = pa[rows].float(), ps[rows].float()
        k = (pa[rows] | neglect).float()
        k[torch.arange(n), torch.arange(n) + b * n] = 0
        keep = a.sum(1) > 0
        wm = a + lmbd * s
        c = wm.sum(1)
        omega = c / c[keep].mean() if reweight else torch.ones_like(c)
        for key, Z in (('g', z), ('l', zl)):
            logits = Z[rows] @ Z.t() / tau
            log_prob = logits - torch.log((logits.exp() * k).sum(1, keepdim=True))
            m = (wm * log_prob).sum(1)[keep] / c[keep]
            total[key] = total[key] - (tau / base * m * omega[keep]).mean()
    return total['g'] / num_images / 2, total['l'] / num_images / 2


@pytest.mark.parametrize('tau,rho,lmbd,reweight', [(0.8, 0.3, 0.0, True), (0.6, 0.5, 0.4, True),
                                                   (0.4, 1.0, 0.7, False)])
def test_hidden_positive_loss_matches_the_spec(tau, rho, lmbd, reweight):
    n, images = 6, 3
    z = unit(n * images, 5, seed=2).requires_grad_()
    zl = unit(n * images, 5, seed=3).requires_grad_()
    f, e = unit(n * images, 7, seed=4), unit(n * images, 5, seed=5)
    pf, pe = unit(4, 7, seed=6), unit(4, 5, seed=7)
    neglect = torch.rand(n, n * images, generator=torch.Generator().manual_seed(8)) < rho
    loss = HiddenPositiveLoss(temperature=tau, rho=rho, reweighting=reweight)
    out = loss(z, zl, f, e, pf, pe, lmbd, n, neglect_mask=neglect)
    g, l = slow_hp_loss(z, zl, f, e, pf, pe, lmbd, n, neglect, tau, reweight)
    torch.testing.assert_close(out['loss_global'], g)
    torch.testing.assert_close(out['loss_local'], l)
    torch.testing.assert_close(out['loss'], g + l)
    out['loss'].backward()
    assert z.grad.abs().sum() > 0 and zl.grad.abs().sum() > 0 and torch.isfinite(z.grad).all()
    # drawn mask: same shape of result from a seeded generator
    a = loss(z, zl, f, e, pf, pe, lmbd, n, generator=torch.Generator().manual_seed(1))["loss"]
    drawn = torch.rand(n, n * images, generator=torch.Generator().manual_seed(1)) < rho
    torch.testing.assert_close(a, loss(z, zl, f, e, pf, pe, lmbd, n, neglect_mask=drawn)["loss"])
    b = loss(z, zl, f, e, pf, pe, lmbd, n, generator=torch.Generator().manual_seed(1))['loss']
    assert torch.equal(a, b)


def test_hidden_positive_loss_empty_image_and_half_masks():
    n = 4
    z, zl = unit(2 * n, 3, seed=1).requires_grad_(), unit(2 * n, 3, seed=2)
    f = torch.cat([unit(n, 3, seed=3), unit(n, 3, seed=4)])
    e = unit(2 * n, 3, seed=5)
    pool = torch.cat([f, -f])  # every token's own threshold is 1: no positives at all
    clean = HiddenPositiveLoss()(z, zl, f, e, pool, e, 0.3, n)
    assert clean['num_anchors'] == 0 and clean['loss'] == 0
    assert torch.isnan(HiddenPositiveLoss(nan_on_empty=True)(z, zl, f, e, pool, e, 0.3, n)['loss'])
    pf = unit(2, 3, seed=9)
    neglect = torch.ones(n, 2 * n, dtype=torch.bool)
    full = HiddenPositiveLoss()(z, zl, f, e, pf, e[:1], 0.3, n, neglect_mask=neglect)['loss']
    half = HiddenPositiveLoss(half_precision_masks=True)(z, zl, f, e, pf, e[:1], 0.3, n,
                                                         neglect_mask=neglect)['loss']
    torch.testing.assert_close(half, full, atol=1e-3, rtol=1e-3)


def test_consistency_loss():
    z, za = torch.randn(5, 3), torch.randn(5, 3)
    expected = torch.nn.PairwiseDistance(eps=1e-6)(z, za).mean()
    torch.testing.assert_close(HPConsistencyLoss()(z, za), expected)


def test_reference_pool_and_draws():
    maps = [torch.randn(2, 3, 2, 3), torch.randn(1, 3, 2, 3)]
    pool = build_reference_pool(maps, [0, 5, 4])
    expected = torch.stack([maps[0][0, :, 0, 0], maps[0][1, :, 1, 2], maps[1][0, :, 1, 1]])
    torch.testing.assert_close(pool, F.normalize(expected, dim=1))
    half = build_reference_pool(maps, [0, 5, 4], half_precision=True)
    assert half.dtype == torch.float16
    torch.testing.assert_close(half.float(), pool, atol=2e-3, rtol=2e-3)
    rng = np.random.default_rng(3)
    feature, code = draw_pool_indices(4, 10, np.random.default_rng(3))
    assert feature + code == [int(rng.integers(0, 10)) for _ in range(8)]
    np.random.seed(5)
    feature, code = draw_pool_indices(3, 7)
    np.random.seed(5)
    assert feature + code == [np.random.randint(0, 7) for _ in range(6)]


def test_schedule():
    assert hp_lambda(10, 10, 110) == 0.0 and hp_lambda(60, 10, 110) == 0.5
    assert hp_lambda(110, 10, 110) == 1.0
    assert [should_renew_pool(i, 20) for i in (0, 19, 20, 40)] == [False, False, True, True]


def test_convert_reference_state_dict():
    w = torch.randn(4, 6)
    ckpt = dict(net_model_state_dict={'cluster1.0.weight': torch.ones(4, 6, 1, 1),
                                      'cluster2.2.bias': torch.zeros(4),
                                      'ema_model1.0.bias': torch.ones(4),
                                      'ema_model2.0.weight': torch.ones(6, 6, 1, 1),
                                      'model.blocks.0.attn.qkv.weight': torch.ones(3)},
                linear_model_state_dict={'linear_probe.weight': w, 'linear_probe.bias': torch.ones(4)},
                cluster_model_state_dict={'clusters': torch.ones(3, 4)})
    out = convert_reference_state_dict(ckpt)
    assert set(out) == {'head.linear.weight', 'head.nonlinear.2.bias', 'ema_head.linear.bias',
                        'ema_head.nonlinear.0.weight', 'linear_probe.conv.weight',
                        'linear_probe.conv.bias', 'cluster_probe.clusters'}
    torch.testing.assert_close(out['linear_probe.conv.weight'], w[:, :, None, None])
    flat = convert_reference_state_dict({'net.cluster1.0.bias': torch.ones(2), 'cluster.clusters': w})
    assert set(flat) == {'head.linear.bias', 'cluster_probe.clusters'}


def test_dropped_anchor_with_empty_denominator_keeps_gradients_finite():
    eye = torch.eye(4)
    f = torch.stack([eye[0], eye[0], eye[1], eye[2]])  # tokens 2, 3: no positive, no denominator
    z = unit(4, 3, seed=1).requires_grad_()
    out = HiddenPositiveLoss(rho=0.0)(z, z, f, f, eye[1:3], eye[1:3], 0.5, 4,
                                      neglect_mask=torch.zeros(4, 4, dtype=torch.bool))
    assert out['num_anchors'] == 2 and torch.isfinite(out['loss'])
    out['loss'].backward()
    assert torch.isfinite(z.grad).all()
