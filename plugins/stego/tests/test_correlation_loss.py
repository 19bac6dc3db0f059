"""STEGOCorrelationLoss: hand-computed terms, invariants and bad inputs."""
import numpy as np
import pytest
import torch

from useg_stego.correlation_loss import (STEGOCorrelationLoss, draw_negative_indices,
                                         sample_locations)

WEIGHTS = dict(pos_intra_weight=0.67, pos_inter_weight=0.25, neg_inter_weight=0.63,
               pos_intra_shift=0.08, pos_inter_shift=0.02, neg_inter_shift=0.46)


def make_loss(**overrides):
    return STEGOCorrelationLoss(**{**WEIGHTS, **overrides})


def term_inputs():
    """f1, f2 (1, 2, 1, 2); c1, c2 (1, 2, 1, 2): two locations each, hand-picked unit vectors."""
    f1 = torch.tensor([[1.0, 0.0], [0.0, 1.0]]).T.reshape(1, 2, 1, 2)     # [1,0], [0,1]
    f2 = torch.tensor([[1.0, 0.0], [0.6, 0.8]]).T.reshape(1, 2, 1, 2)     # [1,0], [.6,.8]
    c1 = torch.tensor([[2.0, 0.0], [0.0, 3.0]]).T.reshape(1, 2, 1, 2)     # normalises to [1,0], [0,1]
    c2 = torch.tensor([[0.0, 1.0], [-5.0, 0.0]]).T.reshape(1, 2, 1, 2)    # [0,1], [-1,0]
    return f1, f2, c1, c2


def test_correlation_term_hand_computed_pointwise_and_clamp():
    # F = [[1, .6], [0, .8]]; row means .8, .4; centred [[.2, -.2], [-.4, .4]]; + global mean .6
    # -> [[.8, .4], [.2, 1.]].  Cc = [[0, -1], [1, 0]] -> clamp(0) = [[0, 0], [1, 0]].
    loss_map, code_corr = make_loss().correlation_term(*term_inputs(), shift=0.3)
    assert loss_map.shape == code_corr.shape == (1, 1, 2, 1, 2)
    expected_corr = torch.tensor([[0.0, -1.0], [1.0, 0.0]])
    torch.testing.assert_close(code_corr.reshape(2, 2), expected_corr)
    expected_loss = torch.tensor([[0.0, 0.0], [-(0.2 - 0.3), 0.0]])
    torch.testing.assert_close(loss_map.reshape(2, 2), expected_loss, atol=1e-6, rtol=0)


def test_correlation_term_without_pointwise_or_zero_clamp():
    loss = make_loss(pointwise=False, zero_clamp=False)
    loss_map, _ = loss.correlation_term(*term_inputs(), shift=0.3)
    # F = [[1, .6], [0, .8]], Cc = [[0, -1], [1, 0]]: -Cc * (F - .3)
    expected = torch.tensor([[0.0, 0.6 - 0.3], [-(0.0 - 0.3), 0.0]])
    torch.testing.assert_close(loss_map.reshape(2, 2), expected, atol=1e-6, rtol=0)


def test_correlation_term_stabilize_caps_code_correlation_at_0_8():
    f1, f2, c1, _ = term_inputs()
    loss_map, code_corr = make_loss(pointwise=False, stabilize=True).correlation_term(
        f1, f1, c1, c1, shift=0.5)
    # Cc diagonal = 1 -> clamped to .8; F diagonal = 1: -.8 * (1 - .5) = -.4; off-diagonal Cc = 0.
    torch.testing.assert_close(code_corr.reshape(2, 2), torch.eye(2))
    torch.testing.assert_close(loss_map.reshape(2, 2), -0.4 * torch.eye(2))


def test_identical_inputs_zero_shift():
    torch.manual_seed(0)
    feats = torch.randn(2, 5, 3, 3)
    loss_map, code_corr = make_loss(pointwise=False).correlation_term(feats, feats, feats, feats, 0.0)
    diagonal = code_corr.reshape(2, 9, 9).diagonal(dim1=1, dim2=2)
    torch.testing.assert_close(diagonal, torch.ones(2, 9))
    # code == feats: loss = -max(F, 0) * F <= 0 everywhere, and -1 on the diagonal.
    assert (loss_map <= 0).all()
    torch.testing.assert_close(loss_map.reshape(2, 9, 9).diagonal(dim1=1, dim2=2), -torch.ones(2, 9))


def test_pointwise_centres_each_query_and_keeps_global_mean():
    torch.manual_seed(1)
    f1, f2 = torch.randn(2, 4, 3, 3), torch.randn(2, 4, 2, 2)
    code = torch.randn(2, 3, 3, 3)
    code_pos = torch.randn(2, 3, 2, 2)
    plain, _ = make_loss(pointwise=False, zero_clamp=False).correlation_term(f1, f2, code, code_pos, 0)
    centred, corr = make_loss(zero_clamp=False).correlation_term(f1, f2, code, code_pos, 0)
    # loss = -Cc * F  ->  F = -loss / Cc
    feat_plain, feat_centred = -plain / corr, -centred / corr
    per_query = feat_centred.mean(dim=(3, 4))
    torch.testing.assert_close(per_query, torch.full_like(per_query, feat_plain.mean().item()),
                               atol=1e-4, rtol=0)


def test_clamp_blocks_gradient_of_negative_code_correlation():
    f1, f2, c1, c2 = term_inputs()
    c1 = c1.clone().requires_grad_(True)
    loss_map, code_corr = make_loss().correlation_term(f1, f2, c1, c2, shift=0.3)
    # Only entry (1, 0) has Cc > 0; entry (0, 1) has Cc = -1 and must contribute nothing.
    loss_map[0, 0, 0, 0, 1].backward()
    assert c1.grad.abs().sum() == 0
    assert code_corr[0, 0, 0, 0, 1] < 0


def test_gradient_reaches_code_only():
    torch.manual_seed(2)
    feats = torch.randn(3, 8, 5, 5, requires_grad=True)
    feats_pos = torch.randn(3, 8, 5, 5, requires_grad=True)
    code = torch.randn(3, 4, 5, 5, requires_grad=True)
    code_pos = torch.randn(3, 4, 5, 5, requires_grad=True)
    losses = make_loss(feature_samples=4, neg_samples=2)(feats, feats_pos, code, code_pos)
    total = sum(value for key, value in losses.items() if key.startswith('loss_'))
    total.backward()
    assert feats.grad is None and feats_pos.grad is None
    assert code.grad.abs().sum() > 0 and code_pos.grad.abs().sum() > 0
    assert not any(value.requires_grad for key, value in losses.items() if key.startswith('code_corr'))


def test_sampling_transposes_grid_axes_and_hits_grid_points():
    tensor = torch.arange(12.0).reshape(1, 1, 3, 4)  # value = 4 * y + x
    coords = torch.tensor([[[[-1.0, -1.0], [1.0, -1.0]], [[-1.0, 1.0], [1 / 3, 0.0]]]])
    sampled = sample_locations(tensor, coords)
    # output [i, j] reads coords[j, i]: (0,0)->(x0,y0); (0,1)->coords[1,0]=(x0,y2); (1,0)->(x3,y0);
    # (1,1)->coords[1,1] = (x2, y1) -> 4 + 2 = 6
    torch.testing.assert_close(sampled.reshape(2, 2), torch.tensor([[0.0, 8.0], [3.0, 6.0]]))


def naive_loss(feats, feats_pos, code, code_pos, points1, points2, perms, weights, shifts):
    """Loop implementation on exact grid points: points (B, S, S, 2) integer (y, x), already transposed.

    The pointwise centring restores the mean over the whole batch of one correlation call.
    """
    def unit(v):
        return v / max(np.linalg.norm(v), 1e-10)

    def correlations(f_a, f_b, c_a, c_b, p_a, p_b):
        size = p_a.shape[0]
        feat = np.zeros((size, size, size, size))
        cc = np.zeros_like(feat)
        for h, w, i, j in np.ndindex(feat.shape):
            ya, xa = p_a[h, w]
            yb, xb = p_b[i, j]
            feat[h, w, i, j] = unit(f_a[:, ya, xa]) @ unit(f_b[:, yb, xb])
            cc[h, w, i, j] = unit(c_a[:, ya, xa]) @ unit(c_b[:, yb, xb])
        return feat, cc

    def term(pairs, shift):
        feat, cc = (np.stack(parts) for parts in zip(*pairs))
        centred = feat - feat.mean(axis=(3, 4), keepdims=True) + feat.mean()
        return -np.maximum(cc, 0) * (centred - shift), cc

    batch = range(feats.shape[0])
    terms = dict(
        pos_intra=[term([correlations(feats[b], feats[b], code[b], code[b], points1[b], points1[b])
                         for b in batch], shifts['pos_intra'])],
        pos_inter=[term([correlations(feats[b], feats_pos[b], code[b], code_pos[b], points1[b],
                                      points2[b]) for b in batch], shifts['pos_inter'])],
        neg_inter=[term([correlations(feats[b], feats[perm[b]], code[b], code[perm[b]], points1[b],
                                      points2[b]) for b in batch], shifts['neg_inter'])
                   for perm in perms])
    out = {}
    for name, values in terms.items():
        out[f'loss_{name}'] = weights[name] * np.mean([v[0] for v in values])
        out[f'code_corr_{name}'] = np.mean([v[1] for v in values])
    return out


def test_full_loss_matches_naive_loop_on_grid_points():
    generator = np.random.default_rng(0)
    batch, size, side = 3, 3, 4
    feats, feats_pos = generator.normal(size=(2, batch, 6, side, side))
    code, code_pos = generator.normal(size=(2, batch, 5, side, side))
    # integer grid points (y, x) per output location, then the (x, y) coords that hit them
    points1, points2 = generator.integers(0, side, size=(2, batch, size, size, 2))
    perms = np.array([[1, 2, 0], [2, 0, 1]])

    def to_coords(points):  # output [i, j] reads coords[j, i] -> store the transpose
        xy = points[..., ::-1] / (side - 1) * 2 - 1
        return torch.tensor(np.ascontiguousarray(xy.transpose(0, 2, 1, 3)), dtype=torch.float64)

    loss = make_loss(feature_samples=size, neg_samples=2)
    as_tensor = lambda a: torch.tensor(a, dtype=torch.float64)  # noqa: E731
    got = loss(as_tensor(feats), as_tensor(feats_pos), as_tensor(code), as_tensor(code_pos),
               to_coords(points1), to_coords(points2), torch.tensor(perms))
    weights = dict(pos_intra=0.67, pos_inter=0.25, neg_inter=0.63)
    shifts = dict(pos_intra=0.08, pos_inter=0.02, neg_inter=0.46)
    expected = naive_loss(feats, feats_pos, code, code_pos, points1, points2, perms, weights, shifts)
    assert set(got) == set(expected)
    for key, value in expected.items():
        assert got[key].item() == pytest.approx(value, abs=1e-9), key


def test_random_draws_follow_reference_order():
    torch.manual_seed(3)
    tensors = [torch.randn(4, 6, 5, 5) for _ in range(4)]
    loss = make_loss(feature_samples=3, neg_samples=2)
    torch.manual_seed(7)
    drawn = loss(*tensors)
    torch.manual_seed(7)
    coords1, coords2 = loss.draw_coords(4, 'cpu'), loss.draw_coords(4, 'cpu')
    perms = torch.stack([draw_negative_indices(4) for _ in range(2)])
    given = loss(*tensors, coords1=coords1, coords2=coords2, perms=perms)
    for key in drawn:
        torch.testing.assert_close(drawn[key], given[key])


def test_negative_indices_have_no_fixed_points():
    torch.manual_seed(0)
    for batch in (2, 3, 16):
        for _ in range(20):
            indices = draw_negative_indices(batch)
            assert (indices != torch.arange(batch)).all()
            assert indices.min() >= 0 and indices.max() < batch
    assert draw_negative_indices(1).tolist() == [0]


@pytest.mark.parametrize('kwargs, message', [
    (dict(coords1=torch.zeros(2, 3, 4, 2)), 'coords1 must be'),
    (dict(coords2=torch.zeros(3, 3, 3, 2)), 'coords2 must be'),
    (dict(perms=torch.zeros(4, 2, dtype=torch.long)), 'perms must be'),
    (dict(perms=torch.full((5, 2), 2)), 'perms must index'),
])
def test_bad_inputs_raise(kwargs, message):
    tensors = [torch.randn(2, 4, 5, 5) for _ in range(4)]
    with pytest.raises(ValueError, match=message):
        make_loss()(*tensors, **kwargs)


def test_bad_shapes_and_settings_raise():
    with pytest.raises(ValueError, match='code_pos must be'):
        make_loss()(torch.randn(2, 4, 5, 5), torch.randn(2, 4, 5, 5), torch.randn(2, 3, 5, 5),
                    torch.randn(3, 3, 5, 5))
    with pytest.raises(ValueError, match='neg_samples'):
        make_loss(neg_samples=0)
