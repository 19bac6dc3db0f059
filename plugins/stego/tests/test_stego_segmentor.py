"""STEGOSegmentor: the reference's order of dropout draws, optimiser routing, missing neighbours."""
import pytest
import torch
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmengine.registry import init_default_scope

from useg.neighbors import NEIGHBOR_INPUTS
from useg.registry import MODELS
from useg.testing import segmentation_batch

CODE_DIM, NUM_CLASSES = 6, 3
LOSS = dict(type='STEGOCorrelationLoss', pos_intra_weight=0.67, pos_inter_weight=0.25,
            neg_inter_weight=0.63, pos_intra_shift=0.08, pos_inter_shift=0.02,
            neg_inter_shift=0.46, feature_samples=3, neg_samples=2)


@pytest.fixture
def model():
    init_default_scope('useg')
    torch.manual_seed(0)
    return MODELS.build(dict(
        type='STEGOSegmentor', num_classes=NUM_CLASSES, correlation_loss=LOSS,
        backbone=dict(type='DINOViT', arch='vit_tiny_p8'),
        head=dict(type='ProjectionHead', in_channels=48, channels=CODE_DIM, dropout=0.1),
        cluster_probe=dict(type='ClusterProbe', in_channels=CODE_DIM, num_clusters=NUM_CLASSES),
        linear_probe=dict(type='LinearProbe', in_channels=CODE_DIM, num_classes=NUM_CLASSES),
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                               std=[58.395, 57.12, 57.375], bgr_to_rgb=True,
                               size=(32, 32))))


def make_batch(batch_size=3, size=32, with_neighbors=True):
    def neighbor(sample, generator, size):
        sample.set_field(torch.randint(0, 256, (3, size, size), dtype=torch.uint8,
                                       generator=generator), NEIGHBOR_INPUTS)
    return segmentation_batch(NUM_CLASSES, batch_size, size, neighbor if with_neighbors else None)


def test_loss_draws_dropout_masks_in_reference_order(model):
    model.train()
    data = model.data_preprocessor(make_batch(), True)
    torch.manual_seed(5)
    losses = model.loss(data['inputs'], data['data_samples'])
    # the reference: code (linear, nonlinear masks), signal, then the same for the neighbour, then
    # the loss's own draws (coords1, coords2, negatives); the probes draw nothing
    torch.manual_seed(5)
    feats = model.backbone(data['inputs'])
    code = model.head(feats)
    signal = model.head.dropout_features(feats)
    neighbours = model.neighbor_inputs(data['data_samples'])
    feats_pos = model.backbone(neighbours)
    code_pos = model.head(feats_pos)
    signal_pos = model.head.dropout_features(feats_pos)
    expected = model.correlation_loss(signal, signal_pos, code, code_pos)
    for key, value in expected.items():
        torch.testing.assert_close(losses[key], value)
    assert {'loss_cluster', 'loss_linear'} <= set(losses)


def test_train_step_updates_head_and_probes_only(model):
    model.train()
    optim_wrapper = OptimWrapperDict(**{
        name: OptimWrapper(torch.optim.Adam(getattr(model, name).parameters(), lr=lr))
        for name, lr in (('head', 5e-4), ('cluster_probe', 5e-3), ('linear_probe', 5e-3))})
    before = {name: param.clone() for name, param in model.named_parameters()}
    log_vars = model.train_step(make_batch(), optim_wrapper)
    assert {'loss_pos_intra', 'loss_pos_inter', 'loss_neg_inter', 'loss_cluster', 'loss_linear',
            'code_corr_pos_intra'} <= set(log_vars)
    changed = {name for name, param in model.named_parameters()
               if not torch.equal(param, before[name])}
    assert any(name.startswith('head.') for name in changed)
    assert 'cluster_probe.clusters' in changed
    assert any(name.startswith('linear_probe.') for name in changed)
    assert not any(name.startswith('backbone.') for name in changed)


def test_missing_neighbours_raise_a_clear_error(model):
    model.train()
    data = model.data_preprocessor(make_batch(with_neighbors=False), True)
    with pytest.raises(KeyError, match='wrap the training set in KNNPairDataset'):
        model.loss(data['inputs'], data['data_samples'])


def test_requires_a_head():
    init_default_scope('useg')
    with pytest.raises(ValueError, match='needs a head'):
        MODELS.build(dict(type='STEGOSegmentor', num_classes=2, correlation_loss=LOSS,
                          backbone=dict(type='DINOViT', arch='vit_tiny_p8')))
