"""``useg convert-checkpoint``: reference-layout files (tiny random ViT, timm key names) convert,
load into the useg model and reproduce a hand-written reference evaluation forward."""
import hashlib
import json
import math
import os
import os.path as osp
import sys
import types

import pytest
import torch
import torch.nn.functional as F

from useg.apis import init_segmentor
from useg.tools import convert_checkpoint
from useg.utils import UsegError

CONFIGS = osp.join(osp.dirname(__file__), 'configs')
WIDTH, DEPTH, PATCH, GRID, HEADS = 128, 2, 8, 8, 2  # pos_embed of a 64 px image
CLASSES, CODE = 4, 12  # the generated dataset has 4 classes


def vit_state(generator):
    """A DINO ViT state dict (timm names) with random weights."""
    def rand(*shape, scale=0.2):
        return torch.randn(*shape, generator=generator) * scale
    state = {'cls_token': rand(1, 1, WIDTH), 'pos_embed': rand(1, GRID * GRID + 1, WIDTH),
             'patch_embed.proj.weight': rand(WIDTH, 3, PATCH, PATCH, scale=0.05),
             'patch_embed.proj.bias': rand(WIDTH), 'norm.weight': 1 + rand(WIDTH),
             'norm.bias': rand(WIDTH)}
    for block in range(DEPTH):
        for name, rows, cols in (('attn.qkv', 3 * WIDTH, WIDTH), ('attn.proj', WIDTH, WIDTH),
                                 ('mlp.fc1', 4 * WIDTH, WIDTH), ('mlp.fc2', WIDTH, 4 * WIDTH)):
            state[f'blocks.{block}.{name}.weight'] = rand(rows, cols, scale=cols ** -0.5)
            state[f'blocks.{block}.{name}.bias'] = rand(rows)
        for norm in ('norm1', 'norm2'):
            state[f'blocks.{block}.{norm}.weight'] = 1 + rand(WIDTH)
            state[f'blocks.{block}.{norm}.bias'] = rand(WIDTH)
    return state


def head_state(prefix, generator):
    rand = lambda *shape: torch.randn(*shape, generator=generator) * 0.1  # noqa: E731
    return {f'{prefix}cluster1.0.weight': rand(CODE, WIDTH, 1, 1), f'{prefix}cluster1.0.bias': rand(CODE),
            f'{prefix}cluster2.0.weight': rand(WIDTH, WIDTH, 1, 1), f'{prefix}cluster2.0.bias': rand(WIDTH),
            f'{prefix}cluster2.2.weight': rand(CODE, WIDTH, 1, 1), f'{prefix}cluster2.2.bias': rand(CODE)}


def reference_state(method, seed=0):
    """A ``state_dict`` in the released file's layout of ``method``."""
    generator = torch.Generator().manual_seed(seed)
    rand = lambda *shape: torch.randn(*shape, generator=generator)  # noqa: E731
    state = {f'net.model.{key}': value for key, value in vit_state(generator).items()}
    if method == 'stego':
        state.update(head_state('net.', generator))
        state.update({'cluster_probe.clusters': rand(CLASSES, CODE),
                      'train_cluster_probe.clusters': rand(CLASSES, CODE),
                      'linear_probe.weight': rand(CLASSES, CODE, 1, 1), 'linear_probe.bias': rand(CLASSES),
                      'decoder.weight': rand(WIDTH, CODE, 1, 1), 'decoder.bias': rand(WIDTH)})
    elif method == 'primaps':
        for prefix in ('seghead.', 'cluster_probe.ema_model.', 'cluster_probe.online_model.'):
            state[f'{prefix}weight_g'] = 1 + rand(CLASSES, 1, 1, 1).abs()
            state[f'{prefix}weight_v'] = rand(CLASSES, WIDTH, 1, 1)
        state.update({'cluster_probe.initted': torch.tensor(True),
                      'cluster_probe.step': torch.tensor(40),
                      'linear_probe.weight': rand(CLASSES, WIDTH, 1, 1) * 0.1,
                      'linear_probe.bias': rand(CLASSES)})
    else:
        state.update(head_state('projection.', generator))
        state.update({'prediction.global_clusters': rand(CLASSES, CODE),
                      'prediction.local_clusters': rand(CLASSES, CODE)})
    return state


# --- the reference evaluation forward, written from the reference code --------------------------

def reference_features(state, images):
    """DINO's ViT: last block, final norm, class token dropped -> ``(B, C, h, w)``."""
    vit = {key[len('net.model.'):]: value for key, value in state.items()
           if key.startswith('net.model.')}
    batch, _, height, width = images.shape
    x = F.conv2d(images, vit['patch_embed.proj.weight'], vit['patch_embed.proj.bias'], stride=PATCH)
    x = x.flatten(2).transpose(1, 2)
    x = torch.cat([vit['cls_token'].expand(batch, -1, -1), x], dim=1)
    pos = vit['pos_embed']
    rows, cols = height // PATCH + 0.1, width // PATCH + 0.1  # DINO's interpolate_pos_encoding
    side = int(math.sqrt(pos.shape[1] - 1))
    grid = pos[:, 1:].reshape(1, side, side, WIDTH).permute(0, 3, 1, 2)
    grid = F.interpolate(grid, scale_factor=(rows / side, cols / side), mode='bicubic')
    x = x + torch.cat([pos[:, :1], grid.permute(0, 2, 3, 1).reshape(1, -1, WIDTH)], dim=1)
    head_dim = WIDTH // HEADS
    for block in range(DEPTH):
        p = lambda name: vit[f'blocks.{block}.{name}']  # noqa: E731
        y = F.layer_norm(x, (WIDTH, ), p('norm1.weight'), p('norm1.bias'), eps=1e-6)
        qkv = F.linear(y, p('attn.qkv.weight'), p('attn.qkv.bias'))
        q, k, v = qkv.reshape(batch, -1, 3, HEADS, head_dim).permute(2, 0, 3, 1, 4)
        attn = (q @ k.transpose(-2, -1) * head_dim ** -0.5).softmax(dim=-1)
        y = (attn @ v).transpose(1, 2).reshape(batch, -1, WIDTH)
        x = x + F.linear(y, p('attn.proj.weight'), p('attn.proj.bias'))
        y = F.layer_norm(x, (WIDTH, ), p('norm2.weight'), p('norm2.bias'), eps=1e-6)
        y = F.linear(F.gelu(F.linear(y, p('mlp.fc1.weight'), p('mlp.fc1.bias'))),
                     p('mlp.fc2.weight'), p('mlp.fc2.bias'))
        x = x + y
    x = F.layer_norm(x, (WIDTH, ), vit['norm.weight'], vit['norm.bias'], eps=1e-6)
    return x[:, 1:].transpose(1, 2).reshape(batch, WIDTH, height // PATCH, width // PATCH)


def reference_code(state, method, feats):
    if method == 'primaps':
        return feats
    prefix = 'net.' if method == 'stego' else 'projection.'
    p = lambda name: state[prefix + name]  # noqa: E731
    activation = F.relu if method == 'stego' else F.silu  # SmooSeg's projector uses SiLU
    hidden = activation(F.conv2d(feats, p('cluster2.0.weight'), p('cluster2.0.bias')))
    return F.conv2d(feats, p('cluster1.0.weight'), p('cluster1.0.bias')) + \
        F.conv2d(hidden, p('cluster2.2.weight'), p('cluster2.2.bias'))


def weight_norm_log_probs(state, prefix, code):
    v, g = state[prefix + 'weight_v'], state[prefix + 'weight_g']
    weight = g * v / v.flatten(1).norm(dim=1)[:, None, None, None]
    return F.conv2d(code, weight).log_softmax(1)


def cosine_log_probs(clusters, code):
    inner = torch.einsum('bchw,nc->bnhw', F.normalize(code, dim=1), F.normalize(clusters, dim=1))
    return (inner * 2).log_softmax(1)


def reference_predictions(state, method, images, size):
    """``(features, flip-averaged code at size, {name: log-probabilities})``."""
    feats = reference_features(state, images)
    code = reference_code(state, method, feats)
    flipped = reference_code(state, method, reference_features(state, images.flip(3)))
    code = F.interpolate((code + flipped.flip(3)) / 2, size, mode='bilinear', align_corners=False)
    outputs = {}
    if method == 'stego':
        outputs['cluster'] = cosine_log_probs(state['cluster_probe.clusters'], code)
    elif method == 'primaps':
        outputs['cluster'] = weight_norm_log_probs(state, 'cluster_probe.ema_model.', code)
        outputs['student'] = weight_norm_log_probs(state, 'seghead.', code)
    else:
        outputs['cluster'] = cosine_log_probs(state['prediction.global_clusters'], code)
    if 'linear_probe.weight' in state:
        outputs['linear'] = F.conv2d(code, state['linear_probe.weight'],
                                     state['linear_probe.bias']).log_softmax(1)
    return feats, code, outputs


# --- tests -------------------------------------------------------------------------------------

def write_reference(tmp_path, method, name=None, **extra):
    path = tmp_path / (name or f'{method}_reference.ckpt')
    torch.save(dict(state_dict=reference_state(method), epoch=3, **extra), path)
    return str(path)


def assert_argmax_equal(reference, ours):
    top2 = reference.topk(2, dim=1).values
    confident = (top2[:, 0] - top2[:, 1]) > 1e-3
    assert torch.equal(reference.argmax(1)[confident], ours.argmax(1)[confident])


@pytest.mark.parametrize('method', ['stego', 'primaps', 'smooseg'])
def test_converted_model_matches_reference_forward(tmp_path, method, capsys):
    src, dst = write_reference(tmp_path, method), str(tmp_path / 'converted.pth')
    convert_checkpoint.main(['--from', method, src, dst])
    out = capsys.readouterr().out.strip().splitlines()
    code_width = WIDTH if method == 'primaps' else CODE
    arch = dict(img_size=64, patch_size=8, embed_dim=128, depth=2, num_heads=2)
    assert out == [f'{src} -> {dst}: {len(torch.load(dst, weights_only=True)["state_dict"])} '
                   f'tensors ({method}, arch {arch}, {CLASSES} classes, code {code_width}); '
                   f'evaluate with e.g. a configs/{method}/ config of this arch, K and code width']
    checkpoint = torch.load(dst, weights_only=True)
    meta = checkpoint['meta']
    assert meta['converted_from'] == method and meta['source'] == osp.basename(src)
    assert meta['arch'] == arch and meta['num_classes'] == CLASSES
    assert meta['code_channels'] == code_width and meta['config'] is None
    assert meta['source_sha1'] == hashlib.sha1(open(src, 'rb').read()).hexdigest()
    assert not any(key.startswith(('decoder', 'train_cluster_probe', 'cluster_probe.online'))
                   for key in checkpoint['state_dict'])

    model = init_segmentor(osp.join(CONFIGS, f'converted_{method}_tiny.py'), dst)
    model.test_cfg.update(flip=True, crf=False)
    images = torch.randn(2, 3, 32, 48, generator=torch.Generator().manual_seed(1))
    size = (36, 52)
    feats, code, expected = reference_predictions(checkpoint_source(src), method, images, size)
    with torch.no_grad():
        ours_feats, _ = model.encode(images)
        ours_code = F.interpolate(model.predict_code(images), size, mode='bilinear',
                                  align_corners=False)
        samples = [model.sample_without_meta(images) for _ in range(2)]
        for sample in samples:
            sample.set_metainfo(dict(ori_shape=size))
        samples = model.predict(images, samples)
    torch.testing.assert_close(ours_feats, feats, atol=2e-5, rtol=1e-4)
    torch.testing.assert_close(ours_code, code, atol=2e-5, rtol=1e-4)
    ours_cluster = torch.stack([sample.seg_logits.data for sample in samples])
    torch.testing.assert_close(ours_cluster, expected['cluster'], atol=1e-4, rtol=0)
    assert_argmax_equal(expected['cluster'], ours_cluster)
    with torch.no_grad():
        if 'linear' in expected:
            ours_linear = model.linear_probe(ours_code).log_softmax(1)
            torch.testing.assert_close(ours_linear, expected['linear'], atol=1e-4, rtol=0)
            linear_ids = torch.stack([s.linear_pred_sem_seg.data[0] for s in samples])
            confident = expected['linear'].topk(2, 1).values.diff(dim=1).abs()[:, 0] > 1e-3
            assert torch.equal(linear_ids[confident], expected['linear'].argmax(1)[confident])
        if 'student' in expected:
            torch.testing.assert_close(model.student.log_probs(ours_code), expected['student'],
                                       atol=1e-4, rtol=0)


def checkpoint_source(src):
    return torch.load(src, weights_only=True)['state_dict']


def test_known_arch_and_shipped_config_are_named(tmp_path, monkeypatch):
    """Shapes of a released ViT-B/8 STEGO COCO-Stuff file name the arch and its paper config."""
    state = {f'net.model.{key}': torch.zeros(1) for key in convert_checkpoint.backbone_keys(
        {f'net.model.blocks.{block}.norm1.weight': 0 for block in range(12)})}
    state['net.model.patch_embed.proj.weight'] = torch.zeros(768, 3, 8, 8)
    state['net.model.pos_embed'] = torch.zeros(1, 28 * 28 + 1, 768)
    state['net.model.blocks.0.mlp.fc1.weight'] = torch.zeros(3072, 768)
    state.update({key: torch.zeros(1) for key in convert_checkpoint.LAYOUTS['stego'].keys})
    state['net.cluster1.0.weight'] = torch.zeros(70, 768, 1, 1)
    state['linear_probe.weight'] = torch.zeros(27, 70, 1, 1)
    state['cluster_probe.clusters'] = torch.zeros(27, 70)
    _, info = convert_checkpoint.convert_layout(state, 'stego', 'cocostuff27_vit_base_5.ckpt')
    assert info['arch'] == 'dino_vitb8' and (info['num_classes'], info['code_channels']) == (27, 70)
    assert info['config'] == 'configs/stego/stego_dino_vitb8_cocostuff27.py'
    assert osp.isfile(info['config'])
    state['net.model.blocks.0.mlp.fc1.weight'] = torch.zeros(2048, 768)
    with pytest.raises(UsegError, match='mlp ratio'):
        convert_checkpoint.convert_layout(state, 'stego', 'x.ckpt')


def test_wrong_layout_names_every_missing_and_unexpected_key(tmp_path):
    src, dst = write_reference(tmp_path, 'stego'), tmp_path / 'out.pth'
    with pytest.raises(UsegError) as error:
        convert_checkpoint.main(['--from', 'primaps', src, str(dst)])
    missing = sorted(['cluster_probe.ema_model.weight_g', 'cluster_probe.ema_model.weight_v',
                      'seghead.weight_g', 'seghead.weight_v'])
    unexpected = sorted(['cluster_probe.clusters', 'decoder.bias', 'decoder.weight',
                         'train_cluster_probe.clusters'] + list(head_state('net.', torch.Generator())))
    assert str(error.value) == (f'{src} is not a released primaps checkpoint: missing keys '
                                f'{missing}; unexpected keys {unexpected}')
    assert os.listdir(tmp_path) == [osp.basename(src)]


def test_no_backbone_is_a_key_error(tmp_path):
    """PriMaPs "+SotA" files have no ``net.*``."""
    state = {key: value for key, value in reference_state('primaps').items()
             if not key.startswith('net.')}
    src = tmp_path / 'sota.ckpt'
    torch.save(dict(state_dict=state), src)
    with pytest.raises(UsegError, match=r"missing keys \['net.model.blocks.0.attn.proj.bias'"):
        convert_checkpoint.main(['--from', 'primaps', str(src), str(tmp_path / 'out.pth')])


def test_pickled_hyper_parameters_need_allow_pickle(tmp_path, monkeypatch):
    """A class that is not importable at conversion time (OmegaConf's DictConfig, say) becomes a
    plain container with --allow-pickle; DST equals the one of an unpickled file."""
    module = types.ModuleType('fake_omegaconf')

    class DictConfig:
        def __init__(self, content):
            self.content = content
    DictConfig.__module__ = 'fake_omegaconf'
    DictConfig.__qualname__ = 'DictConfig'
    module.DictConfig = DictConfig
    monkeypatch.setitem(sys.modules, 'fake_omegaconf', module)
    pickled = write_reference(tmp_path, 'smooseg', 'pickled.ckpt',
                              hyper_parameters=DictConfig(dict(dim=CODE)))
    monkeypatch.delitem(sys.modules, 'fake_omegaconf')
    plain = write_reference(tmp_path, 'smooseg', 'plain.ckpt')
    dst = tmp_path / 'out.pth'
    with pytest.raises(UsegError) as error:
        convert_checkpoint.main(['--from', 'smooseg', pickled, str(dst)])
    assert str(error.value) == (f'{pickled} pickles Python objects (fake_omegaconf.DictConfig): '
                                f'rerun with --allow-pickle (trusted sources only)')
    assert not dst.exists()
    convert_checkpoint.main(['--from', 'smooseg', pickled, str(dst), '--allow-pickle'])
    convert_checkpoint.main(['--from', 'smooseg', plain, str(tmp_path / 'plain.pth')])
    ours, expected = (torch.load(path, weights_only=True) for path in (dst, tmp_path / 'plain.pth'))
    assert ours['state_dict'].keys() == expected['state_dict'].keys()
    assert all(torch.equal(ours['state_dict'][key], value)
               for key, value in expected['state_dict'].items())


def test_unknown_method_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as error:
        convert_checkpoint.main(['--from', 'nosuchmethod', 'a', 'b'])
    assert error.value.code == 2 and 'invalid choice' in capsys.readouterr().err


def test_mismatched_shapes_never_leave_a_file(tmp_path):
    """A file whose probe does not fit the code width fails the strict load; nothing is written."""
    state = reference_state('stego')
    state['linear_probe.weight'] = torch.zeros(CLASSES, CODE + 1, 1, 1)
    src, dst = tmp_path / 'bad.ckpt', tmp_path / 'out.pth'
    torch.save(dict(state_dict=state), src)
    with pytest.raises(UsegError, match='linear_probe.conv.weight'):
        convert_checkpoint.main(['--from', 'stego', str(src), str(dst)])
    assert sorted(os.listdir(tmp_path)) == ['bad.ckpt']


def test_plugin_converter_is_used_for_its_name(tmp_path, monkeypatch, capsys):
    """``--from <plugin>`` calls the plugin package's ``convert_reference_checkpoint``."""
    calls = []

    def convert_reference_checkpoint(state_dict):
        calls.append(sorted(state_dict))
        converted, info = convert_checkpoint.convert_layout(state_dict, 'stego', 'fake')
        return dict(state_dict=converted, **info)
    fake = types.SimpleNamespace(convert_reference_checkpoint=convert_reference_checkpoint)
    monkeypatch.setattr('useg.plugins.discover_plugins', lambda force=False: dict(fakeplug=fake))
    src, dst = write_reference(tmp_path, 'stego'), str(tmp_path / 'out.pth')
    convert_checkpoint.main(['--from', 'fakeplug', src, dst])
    assert calls == [sorted(reference_state('stego'))]
    assert torch.load(dst, weights_only=True)['meta']['converted_from'] == 'fakeplug'
    assert '(fakeplug, arch' in capsys.readouterr().out


def test_tools_test_evaluates_a_converted_file_without_the_dino_file(tmp_path, synthetic_data_root):
    """``tools/test.py CONFIG DST`` needs no backbone file (DST carries the backbone) and gives
    the metric of the converted model's own predictions."""
    from mmengine.evaluator import Evaluator
    from mmengine.registry import init_default_scope

    from useg.apis import load_config
    from useg.registry import DATASETS, METRICS
    from useg.tools import test as test_tool
    src, dst = write_reference(tmp_path, 'stego'), str(tmp_path / 'converted.pth')
    convert_checkpoint.main(['--from', 'stego', src, dst])
    config = tmp_path / 'paper_like.py'
    config.write_text(f"_base_ = ['{osp.join(CONFIGS, 'converted_stego_tiny.py')}']\n"
                      "backbone = dict(init_cfg=dict(_delete_=True, type='Pretrained', "
                      "checkpoint='/nonexistent/dino_vitbase8_pretrain.pth'))\n"
                      "model = dict(test_cfg=dict(crf=False))\n")
    options = [f'{loader}.dataset.data_root={synthetic_data_root}'  # the train set is KNN-wrapped
               for loader in ('val_dataloader', 'test_dataloader')]
    out = tmp_path / 'metrics.json'
    test_tool.main([str(config), dst, '--work-dir', str(tmp_path / 'work'), '--out', str(out),
                    '--cfg-options', *options])
    reported = json.loads(out.read_text())

    cfg = load_config(str(config), dict(option.split('=', 1) for option in options))
    model = init_segmentor(cfg, dst)
    init_default_scope('useg')
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    evaluator = Evaluator([METRICS.build(metric) for metric in cfg.test_evaluator])
    evaluator.dataset_meta = dataset.metainfo
    for index in range(len(dataset)):
        data = dataset[index]
        with torch.no_grad():
            samples = model.test_step(dict(inputs=[data['inputs']],
                                           data_samples=[data['data_samples']]))
        evaluator.process(samples)
    expected = evaluator.evaluate(len(dataset))
    for key in ('Acc', 'mIoU'):
        matches = [name for name in reported if name.endswith(key)]
        assert matches
        for name in matches:
            assert reported[name] == pytest.approx(float(expected[name]), abs=1e-6), name


def test_reproduce_report_gets_a_released_checkpoint_column(tmp_path):
    """``useg reproduce --checkpoint``: the released checkpoint's metric beside seeds and paper."""
    from useg.tools import reproduce
    config = osp.join(CONFIGS, 'tiny_baseline_with_paper_results.py')
    runs = reproduce.plan_runs([config], [0, 1], str(tmp_path))
    for run, value in zip(runs, (20.0, 24.0)):
        os.makedirs(run.work_dir)
        with open(osp.join(run.work_dir, reproduce.METRICS_FILE), 'w') as file:
            json.dump(dict(seed=run.seed, metrics={'cluster/mIoU': value}), file)
    released = reproduce.released_runs(runs, ['released.pth'], str(tmp_path))
    assert released[runs[0].config][0].work_dir == osp.join(
        str(tmp_path), 'tiny_baseline_with_paper_results', 'released')
    with pytest.raises(UsegError, match='one checkpoint per config: 2 for 1 configs'):
        reproduce.released_runs(runs, ['a.pth', 'b.pth'], str(tmp_path))
    rows = reproduce.summarize(runs, {runs[0].config: {'cluster/mIoU': 31.5}})
    assert [(row['metric'], row['mean'], row['paper'], row['released']) for row in rows] == [
        ('cluster/mIoU', 22.0, 30.0, 31.5)]
    markdown = reproduce.report_markdown(rows)
    assert '| metric | ours (mean ± std) | n | paper | Δ | released checkpoint |' in markdown
    assert '| cluster/mIoU | 22.0 ± 2.8 | 2 | 30.0 | -8.0 | 31.5 |' in markdown
    assert 'released checkpoint' not in reproduce.report_markdown(reproduce.summarize(runs))


def reference_crf(image, log_probs):
    """STEGO's ``dense_crf``: ``image (H, W, 3)`` uint8 RGB (given to pydensecrf as BGR),
    ``log_probs (K, H, W)`` -> refined probabilities ``(K, H, W)``."""
    import numpy as np
    import pydensecrf.densecrf as dcrf
    from pydensecrf.utils import unary_from_softmax
    probs = log_probs.softmax(0).numpy()
    classes, height, width = probs.shape
    crf = dcrf.DenseCRF2D(width, height, classes)
    crf.setUnaryEnergy(np.ascontiguousarray(unary_from_softmax(probs)))
    crf.addPairwiseGaussian(sxy=1, compat=3)
    crf.addPairwiseBilateral(sxy=67, srgb=3, rgbim=np.ascontiguousarray(image[:, :, ::-1]),
                             compat=4)
    return np.array(crf.inference(10)).reshape(classes, height, width)


def test_converted_model_crf_matches_reference_crf(tmp_path):
    """The CRF arg-max of the converted STEGO model equals the reference CRF on the reference
    log-probabilities for at least 99.5 % of the pixels."""
    src, dst = write_reference(tmp_path, 'stego'), str(tmp_path / 'converted.pth')
    convert_checkpoint.main(['--from', 'stego', src, dst])
    model = init_segmentor(osp.join(CONFIGS, 'converted_stego_tiny.py'), dst)
    model.test_cfg.update(flip=True, crf=True, crf_workers=0, crf_backend='pydensecrf')
    generator = torch.Generator().manual_seed(2)
    smooth = F.interpolate(torch.randn(2, 3, 4, 6, generator=generator), (32, 48), mode='bilinear')
    images = smooth * 1.5 + 0.3 * torch.randn(2, 3, 32, 48, generator=generator)
    with torch.no_grad():
        samples = model.predict(images)
    _, _, expected = reference_predictions(checkpoint_source(src), 'stego', images, (32, 48))
    pixels = model.unnormalised_images(images)
    for index, sample in enumerate(samples):
        for field, name in (('crf_pred_sem_seg', 'cluster'), ('crf_linear_pred_sem_seg', 'linear')):
            reference = torch.from_numpy(reference_crf(pixels[index], expected[name][index]))
            agreement = (sample.get(field).data[0] == reference.argmax(0)).float().mean()
            assert agreement >= 0.995, (field, float(agreement))
