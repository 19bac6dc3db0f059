import pytest
import torch
from mmengine.optim import OptimWrapper, OptimWrapperDict
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from useg.registry import MODELS
from useg.utils import UsegError

PREPROCESSOR = dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                    std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_val=0, seg_pad_val=255,
                    size_divisor=8)


def build(**overrides):
    cfg = dict(type='UnsupervisedSegmentor', num_classes=3,
               backbone=dict(type='DINOViT', arch='vit_tiny_p8'),
               head=dict(type='ProjectionHead', in_channels=48, channels=6),
               cluster_probe=dict(type='ClusterProbe', in_channels=6, num_clusters=4),
               linear_probe=dict(type='LinearProbe', in_channels=6, num_classes=3),
               data_preprocessor=PREPROCESSOR)
    cfg.update(overrides)
    return MODELS.build(cfg)


def sample(height, width, label=True, ori_shape=None):
    data_sample = SegDataSample()
    data_sample.set_metainfo(dict(img_shape=(height, width), ori_shape=ori_shape or (height, width)))
    if label:
        data_sample.gt_sem_seg = PixelData(data=torch.randint(0, 4, (1, height, width)))
    return data_sample


def batch(num=2, size=(32, 48), label=True):
    return dict(inputs=[torch.randint(0, 256, (3, *size), dtype=torch.uint8) for _ in range(num)],
                data_samples=[sample(*size, label=label) for _ in range(num)])


def test_loss_routes_each_loss_to_its_optimiser_and_probes_never_touch_the_head():
    model = build()
    losses = model.loss(torch.randn(2, 3, 32, 48), batch()['data_samples'])
    assert set(losses) == {'loss_cluster', 'loss_linear'}
    assert model.loss_optimizer('loss_cluster') == 'cluster_probe'
    assert model.loss_optimizer('loss_linear') == 'linear_probe'
    assert model.loss_optimizer('loss_corr') == 'head'
    sum(losses.values()).backward()
    assert all(p.grad is None for p in model.head.parameters())
    assert all(p.grad is None for p in model.backbone.parameters())
    assert model.cluster_probe.clusters.grad is not None


def test_train_step_with_one_optimiser_per_module():
    torch.manual_seed(0)
    model = build()
    wrappers = OptimWrapperDict(**{
        name: OptimWrapper(torch.optim.Adam(getattr(model, name).parameters(), lr=0.1))
        for name in ('head', 'cluster_probe', 'linear_probe')})
    before = {name: [p.detach().clone() for p in getattr(model, name).parameters()]
              for name in ('head', 'cluster_probe', 'linear_probe')}
    log_vars = model.train_step(batch(), wrappers)
    assert {'loss', 'loss_cluster', 'loss_linear'} <= set(log_vars)
    changed = {name: any(not torch.equal(a, b) for a, b in zip(params, getattr(model, name).parameters()))
               for name, params in before.items()}
    # head has no method loss in the core model: it must stay unchanged; probes step.
    assert changed == {'head': False, 'cluster_probe': True, 'linear_probe': True}


def test_train_step_names_a_missing_optimiser():
    model = build()
    wrappers = OptimWrapperDict(head=OptimWrapper(torch.optim.Adam(model.head.parameters())))
    with pytest.raises(KeyError, match="no 'cluster_probe' entry"):
        model.train_step(batch(), wrappers)


def test_predict_sizes_follow_the_label_else_the_original_image():
    model = build(test_cfg=dict(flip=True)).eval()
    data = batch(num=2, size=(32, 48))
    data['data_samples'][1] = sample(32, 48, label=False, ori_shape=(60, 100))
    with torch.no_grad():
        out = model.test_step(data)
    assert out[0].pred_sem_seg.shape == (32, 48) and out[0].seg_logits.data.shape == (4, 32, 48)
    assert out[1].pred_sem_seg.shape == (60, 100)
    assert out[0].linear_pred_sem_seg.shape == (32, 48)
    assert int(out[0].pred_sem_seg.data.max()) < 4
    torch.testing.assert_close(out[0].seg_logits.data.exp().sum(0), torch.ones(32, 48))


def test_flip_averaging_is_equivariant():
    model = build(test_cfg=dict(flip=True)).eval()
    inputs = torch.randn(1, 3, 32, 48)
    with torch.no_grad():
        code = model.predict_code(inputs)
        flipped = model.predict_code(inputs.flip(-1))
    torch.testing.assert_close(code.flip(-1), flipped, atol=1e-5, rtol=1e-5)


def test_crf_predictions_are_added_when_asked():
    model = build(test_cfg=dict(crf=True, crf_workers=0, crf_iterations=2)).eval()
    with torch.no_grad():
        out = model.test_step(batch(num=1, size=(16, 24)))
    assert out[0].crf_pred_sem_seg.shape == (16, 24)
    assert out[0].crf_linear_pred_sem_seg.shape == (16, 24)


def test_unknown_test_cfg_key_is_rejected():
    with pytest.raises(UsegError, match='flipp'):
        build(test_cfg=dict(flipp=True))


def test_crf_without_any_probe_is_an_error_not_ignored():
    model = build(cluster_probe=None, linear_probe=None, test_cfg=dict(crf=True)).eval()
    with pytest.raises(UsegError, match=r'does not support test_cfg crf=True.*remove it'):
        model.test_step(batch(num=1, size=(16, 24)))
    build(cluster_probe=None, linear_probe=None, test_cfg=dict(crf=False)).eval().test_step(
        batch(num=1, size=(16, 24)))  # the default value is fine


def test_crf_backend_is_passed_to_the_crf(monkeypatch):
    import useg.postprocess
    seen = []

    def fake_crf(images, log_probs, iterations, backend, num_workers):
        seen.append(backend)
        return [lp.numpy() for lp in log_probs]

    monkeypatch.setattr(useg.postprocess, 'refine_with_crf', fake_crf)
    model = build(test_cfg=dict(crf=True, crf_backend='torch', crf_workers=0)).eval()
    with torch.no_grad():
        model.test_step(batch(num=1, size=(16, 24)))
    assert seen == ['torch'] * 2  # cluster and linear unaries


def test_prediction_hooks_add_fields_without_a_second_backbone_pass():
    class WithExtra(MODELS.get('UnsupervisedSegmentor')):
        def predict_sample(self, code_i, sample):
            unaries = super().predict_sample(code_i, sample)
            sample.set_field(code_i.norm(dim=1), 'code_norm')
            return unaries

        def extra_predictions(self, code, data_samples, input_size):
            for sample in data_samples:
                sample.set_field(tuple(code.shape), 'batch_code_shape')

    model = WithExtra(num_classes=3, backbone=dict(type='DINOViT', arch='vit_tiny_p8'),
                      head=dict(type='ProjectionHead', in_channels=48, channels=6),
                      cluster_probe=dict(type='ClusterProbe', in_channels=6, num_clusters=4),
                      data_preprocessor=PREPROCESSOR, test_cfg=dict(flip=True)).eval()
    calls = []
    model.backbone.register_forward_hook(lambda *args: calls.append(1))
    with torch.no_grad():
        out = model.test_step(batch(num=2, size=(16, 24)))
    assert len(calls) == 2  # one pass per view (flip: 2) for the whole batch
    assert out[0].code_norm.shape == (1, 16, 24) and out[1].batch_code_shape == (2, 6, 2, 3)
    assert model.num_clusters == 4


def test_cluster_probe_loss_can_be_switched_off():
    model = build(train_cfg=dict(train_cluster_probe=False))
    losses = model.loss(torch.randn(1, 3, 32, 48), batch(num=1)['data_samples'])
    assert set(losses) == {'loss_linear'}


def test_backbone_precision_runs_the_frozen_pass_under_autocast(monkeypatch, tmp_path):
    import useg.models.utils.backbone_precision as precision
    torch.manual_seed(0)
    model = build().eval()
    assert model.backbone_precision == 'fp32'
    inputs = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        direct = model.backbone(inputs)
        assert torch.equal(model.extract_feat(inputs), direct)  # fp32: today's numerics
        model.backbone_precision = 'bf16'
        half = model.extract_feat(inputs)
        assert half.dtype == torch.float32 and not torch.equal(half, direct)
        with torch.autocast('cpu', dtype=torch.bfloat16):
            torch.testing.assert_close(half, model.backbone(inputs).float(), rtol=0, atol=0)
        assert torch.nn.functional.cosine_similarity(half, direct, dim=1).min() > 0.99
        assert torch.equal(model.backbone(inputs), direct)  # the module called directly: fp32
    flags = tmp_path / 'cpuinfo'
    flags.write_text('processor\t: 0\nflags\t\t: fpu sse avx512f amx_bf16 amx_tile\n')
    assert precision.cpu_has_bf16_units(str(flags))
    flags.write_text('processor\t: 0\nflags\t\t: fpu sse avx2\n')
    assert not precision.cpu_has_bf16_units.__wrapped__(str(flags))
    monkeypatch.setattr(precision, 'cpu_has_bf16_units', lambda: False)
    assert precision.backbone_autocast_dtype('auto', 'cpu') is None
    monkeypatch.setattr(precision, 'cpu_has_bf16_units', lambda: True)
    assert precision.backbone_autocast_dtype('auto', 'cpu') is torch.bfloat16
    assert precision.backbone_autocast_dtype('fp16', 'cpu') is torch.float16
    with pytest.raises(ValueError, match='backbone_precision'):
        build(backbone_precision='int8')
