"""DepthGSegmentor: schedule applied per iteration, depth from the samples, STEGO's prediction."""
import pytest
import torch
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData

from useg.neighbors import NEIGHBOR_DEPTH, NEIGHBOR_INPUTS
from useg.registry import MODELS
from useg.testing import segmentation_batch

CODE_DIM, NUM_CLASSES = 6, 3
LOSS = dict(type='DepthGCorrelationLoss', pos_intra_weight=0.58, pos_inter_weight=0.36,
            neg_inter_weight=0.7, pos_intra_shift=0.07, pos_inter_shift=0.025, neg_inter_shift=0.761,
            depth_weight=0.19, depth_shift=0.03, feature_samples=3, neg_samples=2)


def build(schedule=None):
    init_default_scope('useg')
    torch.manual_seed(0)
    return MODELS.build(dict(
        type='DepthGSegmentor', num_classes=NUM_CLASSES, correlation_loss=LOSS, schedule=schedule,
        backbone=dict(type='DINOViT', arch='vit_tiny_p8'),
        head=dict(type='ProjectionHead', in_channels=48, channels=CODE_DIM, dropout=0.1),
        cluster_probe=dict(type='ClusterProbe', in_channels=CODE_DIM, num_clusters=NUM_CLASSES),
        linear_probe=dict(type='LinearProbe', in_channels=CODE_DIM, num_classes=NUM_CLASSES),
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                               std=[58.395, 57.12, 57.375], bgr_to_rgb=True, size=(32, 32))))


def make_batch(batch_size=3, size=32, depth=True, neighbor_depth=True):
    def extra(sample, generator, size):
        sample.set_field(torch.randint(0, 256, (3, size, size), dtype=torch.uint8,
                                       generator=generator), NEIGHBOR_INPUTS)
        if depth:
            sample.gt_depth_map = PixelData(data=torch.rand(1, size, size, generator=generator))
        if neighbor_depth:
            sample.set_field(PixelData(data=torch.rand(1, size, size, generator=generator)),
                             NEIGHBOR_DEPTH)
    return segmentation_batch(NUM_CLASSES, batch_size, size, extra)


def test_method_loss_is_the_depthg_loss_on_stego_tensors():
    model = build()
    model.train()
    data = model.data_preprocessor(make_batch(), True)
    torch.manual_seed(5)
    losses = model.loss(data['inputs'], data['data_samples'])
    assert {'loss_depth', 'loss_pos_intra', 'loss_cluster', 'loss_linear'} <= set(losses)
    torch.manual_seed(5)
    feats = model.backbone(data['inputs'])
    code = model.head(feats)
    signal = model.head.dropout_features(feats)
    feats_pos, code_pos = model.encode(model.neighbor_inputs(data['data_samples']))
    signal_pos = model.head.dropout_features(feats_pos)
    depth = torch.stack([s.gt_depth_map.data for s in data['data_samples']])
    depth_pos = torch.stack([s.get(NEIGHBOR_DEPTH).data for s in data['data_samples']])
    expected = model.correlation_loss(signal, signal_pos, code, code_pos, depth, depth_pos)
    for key, value in expected.items():
        assert torch.allclose(losses[key], value), key
    assert int(model.iteration) == 1  # one training step counted


def test_schedule_sets_the_loss_each_iteration():
    model = build(dict(sample_decay=True, sample_decay_every=3, sample_decay_factor=0.7,
                       steps_per_iteration=3, decay_at_zero=True, depth_decay=True,
                       depth_decay_every=3, depth_decay_factor=0.5))
    model.train()
    data = model.data_preprocessor(make_batch(), True)
    seen = []
    for _ in range(3):
        model.loss(data['inputs'], data['data_samples'])
        seen.append((model.correlation_loss.feature_samples, model.correlation_loss.depth_weight))
    assert seen == [(3, 0.19), (2, 0.19), (1, 0.19 * 0.5)]


@pytest.mark.parametrize('missing', ['gt_depth_map', NEIGHBOR_DEPTH])
def test_missing_depth_names_the_field(missing):
    model = build()
    model.train()
    batch = make_batch(depth=missing != 'gt_depth_map', neighbor_depth=missing != NEIGHBOR_DEPTH)
    data = model.data_preprocessor(batch, True)
    with pytest.raises(KeyError, match=missing):
        model.loss(data['inputs'], data['data_samples'])


def test_prediction_needs_no_depth():
    model = build()
    model.eval()
    data = model.data_preprocessor(make_batch(depth=False, neighbor_depth=False), False)
    with torch.no_grad():
        out = model.predict(data['inputs'], data['data_samples'])
    assert out[0].pred_sem_seg.data.shape == (1, 32, 32)
