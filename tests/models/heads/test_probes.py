import math

import torch
import torch.nn.functional as F

from useg.models import ClusterProbe, LinearProbe, ProjectionHead


def test_cluster_probe_hand_computed():
    probe = ClusterProbe(in_channels=2, num_clusters=2)
    with torch.no_grad():
        probe.clusters.copy_(torch.tensor([[1.0, 0.0], [0.0, 2.0]]))
    # two pixels: (3, 4) has cosines (0.6, 0.8); (-1, 0) has cosines (-1, 0)
    code = torch.tensor([[3.0, -1.0], [4.0, 0.0]]).reshape(1, 2, 1, 2)
    loss, probs = probe(code)
    torch.testing.assert_close(probs[0, :, 0], torch.tensor([[0.0, 0.0], [1.0, 1.0]]))
    torch.testing.assert_close(loss, torch.tensor(-(0.8 + 0.0) / 2))
    loss, probs = probe(code, alpha=2.0)
    expected = torch.softmax(torch.tensor([1.2, 1.6]), 0)
    torch.testing.assert_close(probs[0, :, 0, 0], expected)
    torch.testing.assert_close(probe.log_probs(code, 2.0).exp(), probs)


def test_cluster_probe_gradient_reaches_centroids_only_through_cosine():
    probe = ClusterProbe(in_channels=3, num_clusters=4)
    code = torch.randn(2, 3, 5, 5)
    loss, _ = probe(code)
    loss.backward()
    assert probe.clusters.grad is not None and probe.clusters.grad.abs().sum() > 0


def test_linear_probe_ignores_labels_outside_class_range():
    probe = LinearProbe(in_channels=3, num_classes=2)
    code = torch.randn(1, 3, 2, 2)
    labels = torch.tensor([[[0, 1, 255, -1], [5, 1, 0, 2], [0, 0, 1, 1], [255, 255, 255, 255]]])
    logits = probe(code)
    loss = probe.loss(logits, labels)
    up = F.interpolate(logits, size=(4, 4), mode='bilinear', align_corners=False)[0].permute(1, 2, 0)
    valid = (labels[0] >= 0) & (labels[0] < 2)
    expected = F.cross_entropy(up[valid], labels[0][valid])
    torch.testing.assert_close(loss, expected)
    # no valid pixel at all: a zero loss that still backpropagates
    empty = probe.loss(logits, torch.full((1, 4, 4), 255))
    assert empty.item() == 0.0 and empty.requires_grad


def test_projection_head_branches_use_independent_dropout_masks():
    torch.manual_seed(0)
    head = ProjectionHead(in_channels=8, channels=3, dropout=0.5)
    feats = torch.ones(1, 8, 2, 2)
    masks = []
    head.dropout.register_forward_hook(lambda module, inputs, output: masks.append(output.clone()))
    code = head(feats)
    signal = head.dropout_features(feats)
    assert code.shape == (1, 3, 2, 2) and len(masks) == 3
    assert torch.equal(masks[2], signal)
    assert not torch.equal(masks[0], masks[1]) and not torch.equal(masks[1], masks[2])
    head.eval()
    expected = head.linear(feats) + head.nonlinear(feats)
    torch.testing.assert_close(head(feats), expected)


def test_projection_head_activation_and_single_branch():
    head = ProjectionHead(4, 2, dropout=0.2, linear=False, activation=dict(type='SiLU'))
    assert head.linear is None and isinstance(head.nonlinear[1], torch.nn.SiLU)
    assert math.isclose(head.dropout.p, 0.2)
