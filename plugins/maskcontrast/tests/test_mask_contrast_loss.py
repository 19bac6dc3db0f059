"""MaskContrastLoss, its class weights and its saliency BCE against hand-computed tiny cases."""
import math

import pytest
import torch

from useg.registry import MODELS
from useg_maskcontrast import balanced_bce_with_logits, enet_class_weights, mask_prototypes


def build_loss():
    return MODELS.build(dict(type='MaskContrastLoss', temperature=0.5, saliency_weight=1.0))


def test_enet_class_weights_by_hand():
    weights = enet_class_weights(torch.tensor([0, 0, 0, 1]), 4)
    expected = [1 / math.log(1.77), 1 / math.log(1.27), 1 / math.log(1.02), 1 / math.log(1.02)]
    assert torch.allclose(weights, torch.tensor(expected), atol=1e-5)
    assert weights[2] == pytest.approx(50.5, abs=0.01)  # classes that never occur


def test_balanced_bce_by_hand():
    logits = torch.tensor([[[0.0, 2.0], [-1.0, 3.0]]])
    labels = torch.tensor([[[1, 0], [0, 0]]])
    w = 3 / 4  # share of negatives weights the positive pixels
    positive = math.log(1 + math.exp(-0.0))
    negative = math.log(1 + math.exp(2.0)) + math.log(1 + math.exp(-1.0)) + math.log(1 + math.exp(3.0))
    expected = (w * positive + (1 - w) * negative) / 4
    assert balanced_bce_with_logits(logits, labels).item() == pytest.approx(expected, rel=1e-6)


def test_balanced_bce_is_stable_for_large_logits():
    logits = torch.tensor([[[80.0, -80.0]]])
    loss = balanced_bce_with_logits(logits, torch.tensor([[[0, 1]]]))
    assert torch.isfinite(loss) and loss.item() == pytest.approx((0.5 * 80 + 0.5 * 80) / 2, rel=1e-5)


def test_mask_prototypes_sum_normalised_keys_then_normalise():
    key = torch.tensor([[[[3.0, 0.0]], [[0.0, 5.0]]]])  # (1, 2, 1, 2): pixels (3, 0), (0, 5)
    proto = mask_prototypes(key, torch.tensor([[[1, 1]]]))
    assert torch.allclose(proto, torch.tensor([[2 ** -0.5, 2 ** -0.5]]))


def tiny_case():
    """B=2, D=2, H=1, W=3; image 0 has 3 query fg pixels, image 1 has 1."""
    q_embed = torch.tensor([[[[2.0, 0.0, 1.0]], [[0.0, 3.0, 1.0]]],
                            [[[0.0, 4.0, 1.0]], [[1.0, 0.0, -1.0]]]])
    q_sal = torch.tensor([[[1, 1, 1]], [[0, 0, 1]]])
    k_embed = torch.tensor([[[[3.0, 0.0, 7.0]], [[0.0, 5.0, 0.0]]],
                            [[[0.0, 1.0, 0.0]], [[2.0, 0.0, 0.0]]]])
    k_sal = torch.tensor([[[1, 1, 0]], [[1, 0, 0]]])
    queue = torch.tensor([[1.0, 0.0], [0.0, -1.0]])  # columns (1, 0) and (0, -1)
    q_sal_logits = torch.tensor([[[1.0, -2.0, 0.5]], [[0.0, 3.0, -1.0]]])
    return q_embed, q_sal_logits, k_embed, q_sal, k_sal, queue


def test_logits_labels_and_prototypes_layout():
    out = build_loss()(*tiny_case())
    r = 2 ** -0.5
    prototypes = torch.tensor([[r, r], [0.0, 1.0]])
    assert torch.allclose(out['key_prototypes'], prototypes)
    # foreground rows in (b, h, w) order: (0,0,0) (0,0,1) (0,0,2) (1,0,2)
    queries = torch.tensor([[1.0, 0.0], [0.0, 1.0], [r, r], [r, -r]])
    expected = torch.cat([queries @ prototypes.t(), queries @ tiny_case()[5]], 1) / 0.5
    assert out['logits'].shape == (4, 4)
    assert torch.allclose(out['logits'], expected, atol=1e-6)
    assert out['labels'].tolist() == [0, 0, 0, 1]


def test_contrastive_loss_is_class_weighted_mean():
    out = build_loss()(*tiny_case())
    nll = -torch.log_softmax(out['logits'], 1)[torch.arange(4), out['labels']]
    w0, w1 = 1 / math.log(1.02 + 0.75), 1 / math.log(1.02 + 0.25)
    expected = (w0 * nll[:3].sum() + w1 * nll[3]) / (3 * w0 + w1)
    assert out['loss_contrastive'].item() == pytest.approx(expected.item(), rel=1e-6)
    assert out['loss_contrastive'].item() != pytest.approx(nll.mean().item(), rel=1e-3)
    q_sal_logits, q_sal = tiny_case()[1], tiny_case()[3]
    assert out['loss_saliency'].item() == pytest.approx(
        balanced_bce_with_logits(q_sal_logits, q_sal).item())


def test_loss_gradients_reach_query_only_and_are_deterministic():
    q_embed, q_sal_logits, k_embed, q_sal, k_sal, queue = tiny_case()
    q_embed.requires_grad_(True)
    k_embed.requires_grad_(True)
    q_sal_logits.requires_grad_(True)
    loss = build_loss()
    first = loss(q_embed, q_sal_logits, k_embed, q_sal, k_sal, queue)
    (first['loss_contrastive'] + first['loss_saliency']).backward()
    assert q_embed.grad is not None and q_sal_logits.grad is not None and k_embed.grad is None
    second = loss(q_embed, q_sal_logits, k_embed, q_sal, k_sal, queue)
    assert torch.equal(first['logits'], second['logits'])
    assert first['loss_contrastive'].item() == second['loss_contrastive'].item()


def test_non_binary_masks_and_bad_shapes_are_rejected():
    q_embed, q_sal_logits, k_embed, q_sal, k_sal, queue = tiny_case()
    with pytest.raises(ValueError, match='binary'):
        build_loss()(q_embed, q_sal_logits, k_embed, q_sal * 255, k_sal, queue)
    with pytest.raises(ValueError, match=r'\(D=2, K\)'):
        build_loss()(q_embed, q_sal_logits, k_embed, q_sal, k_sal, torch.zeros(3, 2))
