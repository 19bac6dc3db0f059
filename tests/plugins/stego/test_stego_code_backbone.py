"""STEGOCodeBackbone: a saved STEGO model, reloaded frozen, gives the model's eval-mode code."""
import pytest
import torch
from mmengine.registry import init_default_scope

from useg.registry import MODELS

BACKBONE = dict(type='DINOViT', arch='vit_tiny_p8')
HEAD = dict(type='ProjectionHead', in_channels=48, channels=5)


def build_stego():
    return MODELS.build(dict(
        type='STEGOSegmentor', num_classes=3, backbone=BACKBONE, head=HEAD,
        cluster_probe=dict(type='ClusterProbe', in_channels=5, num_clusters=3),
        correlation_loss=dict(type='STEGOCorrelationLoss', pos_intra_weight=1, pos_inter_weight=1,
                              neg_inter_weight=1, pos_intra_shift=0, pos_inter_shift=0,
                              neg_inter_shift=0)))


def test_reloaded_code_matches_the_trained_model(tmp_path):
    init_default_scope('useg')
    torch.manual_seed(0)
    stego = build_stego().eval()
    path = str(tmp_path / 'stego.pth')
    torch.save(dict(state_dict=stego.state_dict()), path)
    torch.manual_seed(1)  # a different random init, overwritten by the checkpoint
    extractor = MODELS.build(dict(type='STEGOCodeBackbone', backbone=BACKBONE, head=HEAD,
                                  checkpoint=path))
    extractor.train()  # stays in eval mode: no dropout
    assert not extractor.training and not extractor.head.training
    images = torch.randn(2, 3, 32, 32)
    code = extractor(images)
    torch.testing.assert_close(code, stego.encode(images)[1])
    assert code.shape == (2, extractor.embed_dim, 4, 4) and not code.requires_grad
    torch.testing.assert_close(extractor.cluster_centroids, stego.cluster_probe.clusters.detach())
    assert not any(p.requires_grad for p in extractor.parameters())


def test_wrong_checkpoint_is_named(tmp_path):
    init_default_scope('useg')
    path = str(tmp_path / 'other.pth')
    torch.save(dict(state_dict={'something.weight': torch.zeros(1)}), path)
    with pytest.raises(KeyError, match='no backbone'):
        MODELS.build(dict(type='STEGOCodeBackbone', backbone=BACKBONE, head=HEAD, checkpoint=path))
