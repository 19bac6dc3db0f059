import pytest
import torch
import torch.nn.functional as F

from useg.registry import MODELS
from useg_depthg import DepthFeatureCorrelationLoss, DepthGCorrelationLoss, depth_guided_coords
from useg_stego import STEGOCorrelationLoss, sample_locations

WEIGHTS = dict(pos_intra_weight=0.5, pos_inter_weight=0.3, neg_inter_weight=0.7, pos_intra_shift=0.1,
               pos_inter_shift=0.2, neg_inter_shift=0.6)


def test_depth_term_reference_mode_is_a_sign_product():
    torch.manual_seed(0)
    code = torch.randn(2, 6, 4, 4, requires_grad=True)
    depth = torch.rand(2, 1, 16, 16)
    depth[0, :, :8] = 0
    loss = MODELS.build(dict(type='DepthFeatureCorrelationLoss', shift=0.2, weight=0.5, mode='reference'))
    out = loss(code, depth)
    resized = F.interpolate(depth, size=(4, 4), mode='bilinear', align_corners=True)
    sign = (resized > 0).float()[:, 0]
    assert torch.equal(out['depth_corr'], sign[:, :, :, None, None] * sign[:, None, None])
    normed = F.normalize(code, dim=1, eps=1e-10)
    code_corr = torch.einsum('nchw,ncij->nhwij', normed, normed)
    assert torch.allclose(out['code_corr'], code_corr)
    assert torch.allclose(out['loss_map'], -code_corr.clamp(0) * (out['depth_corr'] - 0.2))
    assert torch.allclose(out['loss'], 0.5 * out['loss_map'].mean())
    out['loss'].backward()
    assert code.grad is not None and code.grad.abs().sum() > 0


def test_depth_term_distance_mode_clamps():
    torch.manual_seed(1)
    code = torch.randn(1, 5, 3, 3)
    depth = torch.rand(1, 1, 9, 9)
    coords = torch.rand(1, 3, 3, 2) * 2 - 1
    out = DepthFeatureCorrelationLoss(0.1, zero_clamp=False, stabilize=True)(code, depth, coords)
    sampled = sample_locations(depth, coords)[:, 0]
    expected = 1 - (sampled[:, :, :, None, None] - sampled[:, None, None]).abs()
    assert torch.allclose(out['depth_corr'], expected)
    assert torch.allclose(out['loss_map'], -out['code_corr'].clamp(-9999, 0.8) * (expected - 0.1))
    assert out['code_corr'].max() > 0.8  # self-correlation 1 on the diagonal is unclamped in code_corr
    with pytest.raises(ValueError):
        DepthFeatureCorrelationLoss(0.1)(code, depth)


def make_inputs(seed=0, batch=3):
    torch.manual_seed(seed)
    feats, feats_pos = torch.randn(batch, 8, 6, 6), torch.randn(batch, 8, 6, 6)
    code = torch.randn(batch, 4, 6, 6, requires_grad=True)
    code_pos = torch.randn(batch, 4, 6, 6, requires_grad=True)
    depth, depth_pos = torch.rand(batch, 1, 24, 24), torch.rand(batch, 1, 24, 24)
    return feats, feats_pos, code, code_pos, depth, depth_pos


def test_full_loss_is_stego_plus_depth_with_fps_coords():
    feats, feats_pos, code, code_pos, depth, depth_pos = make_inputs()
    loss = DepthGCorrelationLoss(**WEIGHTS, depth_weight=0.19, depth_shift=0.03, feature_samples=3,
                                 neg_samples=2, fov_unit='radian', coords_mode='reference',
                                 depth_mode='reference')
    perms = torch.tensor([[1, 2, 0], [2, 0, 1]])
    out = loss(feats, feats_pos, code, code_pos, depth, depth_pos, perms=perms)
    coords1 = depth_guided_coords(depth, (6, 6), 3, fov_unit='radian', coords='reference')
    coords2 = depth_guided_coords(depth_pos, (6, 6), 3, fov_unit='radian', coords='reference')
    stego = STEGOCorrelationLoss(**WEIGHTS, feature_samples=3, neg_samples=2)(
        feats, feats_pos, code, code_pos, coords1, coords2, perms)
    assert set(out) == set(stego) | {'loss_depth'}
    for key, value in stego.items():
        assert torch.allclose(out[key], value), key
    term = DepthFeatureCorrelationLoss(0.03, mode='reference')(sample_locations(code, coords1), depth)
    assert torch.allclose(out['loss_depth'], 0.19 * term['loss_map'].mean())
    # public attributes drive the next call
    loss.depth_weight, loss.depth_shift, loss.feature_samples = 0.0, 0.5, 2
    again = loss(feats, feats_pos, code, code_pos, depth, depth_pos, perms=perms)
    assert again['loss_depth'] == 0
    assert not torch.allclose(again['loss_pos_intra'], out['loss_pos_intra'])


def test_random_sampling_draws_coords1_first():
    feats, feats_pos, code, code_pos, depth, depth_pos = make_inputs(2)
    loss = DepthGCorrelationLoss(**WEIGHTS, depth_weight=0.1, depth_shift=0.2, feature_samples=4,
                                 neg_samples=1, sampling='random')
    torch.manual_seed(5)
    out = loss(feats, feats_pos, code, code_pos, depth, depth_pos)
    torch.manual_seed(5)
    coords1, coords2 = torch.rand(3, 4, 4, 2) * 2 - 1, torch.rand(3, 4, 4, 2) * 2 - 1
    replay = loss(feats, feats_pos, code, code_pos, depth, depth_pos, coords1, coords2)
    for key in out:
        assert torch.allclose(out[key], replay[key]), key
    term = DepthFeatureCorrelationLoss(0.2)(sample_locations(code, coords1), depth, coords1)
    assert torch.allclose(out['loss_depth'], 0.1 * term['loss_map'].mean())
    out['loss_depth'].backward()
    assert code.grad.abs().sum() > 0 and code_pos.grad is None
