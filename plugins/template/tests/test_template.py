"""The template method: its loss and segmentor (the tiny config trains in tests/plugins/test_tiny_configs.py)."""
import torch

from useg.registry import MODELS
from useg_template import TemplateLoss


def test_loss_is_zero_when_the_code_keeps_the_similarities_and_trains_the_code():
    feats = torch.randn(2, 8, 3, 3)
    loss = TemplateLoss(num_pairs=64)
    assert loss(feats, 3 * feats).item() < 1e-10  # cosines ignore the scale
    code = torch.randn(2, 4, 3, 3, requires_grad=True)
    pairs = torch.tensor([[0, 1], [2, 17]])
    value = loss(feats, code, pairs)
    flat_feats, flat_code = feats.permute(0, 2, 3, 1).reshape(18, 8), code.permute(0, 2, 3, 1).reshape(18, 4)
    cos = torch.nn.functional.cosine_similarity
    expected = torch.stack([(cos(flat_code[p], flat_code[q], dim=0) - cos(flat_feats[p], flat_feats[q], dim=0)) ** 2
                            for p, q in pairs.tolist()]).mean()
    torch.testing.assert_close(value, expected)
    value.backward()
    assert code.grad.abs().sum() > 0


def test_segmentor_routes_the_method_loss_to_the_head_only():
    model = MODELS.build(dict(
        type='TemplateSegmentor', num_classes=3, backbone=dict(type='DINOViT', arch='vit_tiny_p8'),
        head=dict(type='ProjectionHead', in_channels=48, channels=6),
        loss=dict(type='TemplateLoss', num_pairs=32),
        cluster_probe=dict(type='ClusterProbe', in_channels=6, num_clusters=3)))
    losses = model.loss(torch.randn(2, 3, 16, 16), [])
    assert set(losses) == {'loss_similarity', 'loss_cluster'}
    assert model.loss_optimizer('loss_similarity') == 'head'
    losses['loss_similarity'].backward()
    assert all(p.grad is not None for p in model.head.parameters() if p.requires_grad)
    assert model.cluster_probe.clusters.grad is None
