"""Segmentor pieces: momentum update, key-encoder copy, paired views, DeepLab decoder shapes."""
import numpy as np
import pytest
import torch

from useg.registry import MODELS, TRANSFORMS


def tiny_segmentor(**kwargs):
    return MODELS.build(dict(
        type='MaskContrastSegmentor', num_classes=3, queue_size=4, momentum=0.9,
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[0, 0, 0], std=[1, 1, 1],
                               size_divisor=8),
        backbone=dict(type='ResNet', depth=18, stem_channels=8, base_channels=8,
                      strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4), contract_dilation=True,
                      out_indices=(3, )),
        head=dict(type='MaskContrastHead', embedding_channels=4,
                  decoder=dict(type='DeepLabV3Decoder', in_channels=64, channels=8)),
        **kwargs))


def test_key_encoder_is_an_ema_copy_without_gradients():
    model = tiny_segmentor()
    model.init_weights()
    query, key = model.query_parameters(), model.key_parameters()
    assert all(torch.equal(q, k) for q, k in zip(query, key))
    assert not any(k.requires_grad for k in key)
    with torch.no_grad():
        query[0].add_(1.0)
    before = key[0].clone()
    model.momentum_update()
    assert torch.allclose(key[0], before * 0.9 + query[0] * 0.1)


def test_encode_shapes_at_output_stride_8():
    model = tiny_segmentor().eval()
    feats, code = model.encode(torch.randn(2, 3, 32, 40))
    assert feats.shape == (2, 64, 4, 5)
    assert code.features.shape == (2, 8, 4, 5)
    assert code.embedding.shape == (2, 4, 32, 40) and code.saliency.shape == (2, 32, 40)


def test_views_keep_foreground_share_in_range_or_give_up():
    torch.manual_seed(0)
    np.random.seed(0)
    views = TRANSFORMS.build(dict(type='MaskContrastViews', size=16))
    mask = np.zeros((40, 40), np.uint8)
    mask[10:30, 10:30] = 1
    image = np.random.randint(0, 255, (40, 40, 3), np.uint8)
    out = views.transform(dict(img=image, pseudo_seg_map=mask))
    for key in ('pseudo_seg_map', 'key_pseudo_seg_map'):
        assert out[key].shape == (16, 16) and 0.01 < (out[key] == 1).mean() < 0.99
    assert out['img'].shape == out['key_img'].shape == (16, 16, 3)
    empty = dict(img=image, pseudo_seg_map=np.zeros((40, 40), np.uint8))
    assert views.transform(empty) is None


def labelled_sample(size=16, num_classes=3):
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    sample = SegDataSample()
    sample.set_metainfo(dict(img_shape=(size, size), ori_shape=(size + 4, size + 4)))
    sample.gt_sem_seg = PixelData(data=torch.randint(0, num_classes, (1, size + 4, size + 4)))
    return sample


def test_linear_probe_stage_trains_only_the_probe_and_predicts_everything():
    model = tiny_segmentor(freeze_encoder=True, linear_probe=dict(
        type='LinearProbe', in_channels=8, num_classes=3), test_cfg=dict(crf=True))
    model.train()
    assert not model.backbone.training and not model.head.training
    trainable = [name for name, param in model.named_parameters() if param.requires_grad]
    assert trainable and all(name.startswith('linear_probe') for name in trainable)
    samples = [labelled_sample(), labelled_sample()]
    losses = model.loss(torch.randn(2, 3, 16, 16), samples)
    assert set(losses) == {'loss_linear'}
    model.eval()
    with torch.no_grad():  # as mmengine's test loop
        outputs = model.predict(torch.randn(2, 3, 16, 16) * 50 + 100, samples)
    for sample in outputs:
        assert sample.mask_embedding.shape == (4, )
        for key in ('saliency_sem_seg', 'linear_pred_sem_seg', 'crf_linear_pred_sem_seg',
                    'pred_sem_seg'):
            assert sample.get(key).data.shape == (1, 20, 20), key
        assert set(sample.saliency_sem_seg.data.unique().tolist()) <= {0, 1}


def test_crf_without_a_linear_probe_or_flip_is_an_error():
    from useg.utils import UsegError
    samples = [labelled_sample()]
    for test_cfg in (dict(crf=True), dict(flip=True)):
        model = tiny_segmentor(test_cfg=test_cfg).eval()
        with torch.no_grad(), pytest.raises(UsegError, match='does not support test_cfg'):
            model.predict(torch.randn(1, 3, 16, 16), samples)
    assert tiny_segmentor().num_clusters == 2
    assert tiny_segmentor(linear_probe=dict(type='LinearProbe', in_channels=8,
                                            num_classes=3)).num_clusters == 3
