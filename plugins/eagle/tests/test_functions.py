"""EAGLE's public functions: keys, checkpoint keys, EiCue pieces, token weights, schedule."""
import torch
import torch.nn.functional as F
from mmengine.registry import init_default_scope

from useg.models.backbones.vit_tokens import block_tokens
from useg.registry import MODELS
from useg_eagle import (color_affinity, convert_reference_state_dict, eicue, eicue_eigenvectors,
                        eicue_laplacian, flip_eigenvector_signs, loss_schedule, multilevel_keys,
                        token_weights)


def tiny_backbone():
    init_default_scope('useg')
    torch.manual_seed(0)
    return MODELS.build(dict(type='DINOViT', arch='vit_tiny_p8'))


def test_multilevel_keys_match_forward_features_per_block():
    backbone = tiny_backbone()
    images = torch.randn(2, 3, 24, 32)
    keys = multilevel_keys(backbone, images, blocks=(-2, -1))
    assert keys.shape == (2, 96, 3, 4) and not keys.requires_grad
    backbone.out_block = 0  # the backbone's own call stops early: the keys are still complete
    torch.testing.assert_close(multilevel_keys(backbone, images, blocks=(-2, -1)), keys)
    backbone.out_block = -1
    last = backbone.forward_features(images, return_keys=True)['keys']
    torch.testing.assert_close(keys[:, 48:], last)
    # block 0 by hand: key third of qkv(norm1(x)), bias included, head-major channels
    encoder = backbone.encoder
    captured = {}
    hook = encoder.blocks[0].register_forward_pre_hook(lambda m, a: captured.setdefault('x', a[0]))
    block_tokens(encoder, images, 0)
    hook.remove()
    qkv = encoder.blocks[0].attn.qkv(encoder.blocks[0].norm1(captured['x']))
    heads = encoder.blocks[0].attn.num_heads
    k = qkv.reshape(2, 13, 3, heads, 48 // heads)[:, 1:, 1]  # (B, n, heads, d)
    torch.testing.assert_close(keys[:, :48], k.reshape(2, 12, 48).transpose(1, 2).reshape(2, 48, 3, 4))
    # the listed order is kept
    swapped = multilevel_keys(backbone, images, blocks=(-1, -2))
    torch.testing.assert_close(swapped, torch.cat([keys[:, 48:], keys[:, :48]], 1))


def test_convert_reference_state_dict():
    t = torch.zeros(1)
    converted = convert_reference_state_dict({
        'net.cluster1.0.weight': t, 'net.cluster2.0.bias': t, 'net.cluster2.2.weight': t,
        'cluster_probe.clusters': t, 'linear_probe.weight': t, 'linear_probe.bias': t,
        'project_head.weight': t, 'train_cluster_probe_eigen.clusters': t,
        'train_cluster_probe_eigen_aug.clusters': t, 'net.model.blocks.0.attn.qkv.weight': t,
        'decoder.weight': t, 'learned_centroids': t, 'cluster_probe2.clusters': t})
    assert set(converted) == {
        'head.linear.weight', 'head.nonlinear.0.bias', 'head.nonlinear.2.weight',
        'cluster_probe.clusters', 'linear_probe.conv.weight', 'linear_probe.conv.bias',
        'projector.weight', 'eigen_probe.clusters', 'eigen_probe_aug.clusters'}


def test_color_affinity_dense_gaussian():
    images = torch.rand(2, 3, 8, 8) * 255
    affinity = color_affinity(images, (4, 4))
    pixels = F.interpolate(images, (4, 4), mode='bilinear', align_corners=False).flatten(2)
    pixels = pixels.transpose(1, 2) / 255
    i, j = 3, 10
    expected = torch.exp(-((pixels[1, i] - pixels[1, j]) ** 2).sum() / (2 * 0.1 ** 2))
    assert affinity.shape == (2, 16, 16)
    torch.testing.assert_close(affinity[1, i, j], expected, rtol=1e-4, atol=1e-6)
    torch.testing.assert_close(torch.diagonal(affinity, dim1=1, dim2=2), torch.ones(2, 16),
                               atol=1e-3, rtol=0)


def test_eicue_laplacian_formula_and_zero_code_guard():
    torch.manual_seed(0)
    code = torch.randn(2, 5, 3, 3)
    color = color_affinity(torch.rand(2, 3, 3, 3) * 255, (3, 3))
    lap = eicue_laplacian(code, color)
    z = code.flatten(2).transpose(1, 2)
    a = (z @ z.transpose(1, 2)).clamp(min=0)
    w = a / a.amax((1, 2), keepdim=True) + color / color.amax((1, 2), keepdim=True)
    d = w.sum(-1)
    expected = torch.diag_embed(d ** -0.5) @ (torch.diag_embed(d) - w) @ torch.diag_embed(d ** -0.5)
    torch.testing.assert_close(lap, expected)
    # symmetric, smallest eigenvalue 0 with eigenvector sqrt(d)
    torch.testing.assert_close(lap @ d.sqrt()[..., None], torch.zeros(2, 9, 1), atol=1e-5, rtol=0)
    guarded = eicue_laplacian(torch.zeros(2, 5, 3, 3), color)
    assert torch.isfinite(guarded).all()


def test_flip_eigenvector_signs_block_rule():
    vectors = torch.tensor([[[1., 1.], [1., -1.]],      # 3/4 positive -> flipped
                            [[1., -1.], [1., -1.]],     # 1/2 -> unchanged
                            [[1., 1.], [1., 1.]]])      # all positive -> unchanged
    flipped = flip_eigenvector_signs(vectors)
    torch.testing.assert_close(flipped[0], -vectors[0])
    torch.testing.assert_close(flipped[1:], vectors[1:])


def test_eicue_eigenvectors_and_maps():
    torch.manual_seed(1)
    code = torch.randn(2, 6, 4, 4)
    images = torch.rand(2, 3, 16, 16) * 255
    lap = eicue_laplacian(code, color_affinity(images, (4, 4)))
    values, vectors = eicue_eigenvectors(lap, 3)
    assert values.shape == (2, 3) and vectors.shape == (2, 16, 3)
    assert (values[:, 1:] >= values[:, :-1]).all() and values[:, 0].abs().max() < 1e-4
    torch.testing.assert_close(lap @ vectors, vectors * values[:, None], atol=1e-4, rtol=0)
    positive = (vectors > 0).float().mean((1, 2))
    assert not ((positive > 0.5) & (positive < 1)).any()
    maps = eicue(code, images, num_eigenvectors=3)
    assert maps.shape == (2, 2, 4, 4)
    torch.testing.assert_close(maps, vectors[:, :, 1:].transpose(1, 2).reshape(2, 2, 4, 4))


def test_token_weights():
    keys = torch.randn(2, 5, 2, 3)
    weights = token_weights(keys)
    k = keys[1].flatten(1)
    gram = k.t() @ k
    expected = (gram / gram.norm(dim=0, keepdim=True)).mean(-1)
    assert weights.shape == (12,)
    torch.testing.assert_close(weights[6:], expected)


def test_loss_schedule():
    assert loss_schedule(200) == 0.0 and loss_schedule(201) == 0.9
    assert loss_schedule(381, start=380, limit=0.7) == 0.7 and loss_schedule(0, start=380) == 0.0
    assert isinstance(loss_schedule(5), float)


def test_multilevel_keys_dinov3_registers_and_rope():
    init_default_scope('useg')
    torch.manual_seed(0)
    backbone = MODELS.build(dict(type='DINOViT', arch='vit_tiny_dinov3'))
    images = torch.randn(1, 3, 32, 48)
    keys = multilevel_keys(backbone, images, blocks=(-2, -1))
    assert keys.shape == (1, 96, 2, 3)
    backbone.out_block = 0
    first = backbone.forward_features(images, return_keys=True)['keys']
    torch.testing.assert_close(keys[:, :48], first)
