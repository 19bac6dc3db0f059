"""``useg convert-checkpoint --from eagle|hp``: reference-layout files with a tiny random ViT
convert, load strictly with ``init_segmentor``, keep the source tensors and predict."""
import pytest
import torch

from useg.apis import init_segmentor
from useg.plugins import discover_plugins
from useg.tools import convert_checkpoint

from .test_convert_checkpoint import CLASSES, CODE, WIDTH, vit_state

EIGEN, EIGEN_CLUSTERS, CLUSTERS = 4, 5, 6


def rand(generator, *shape):
    return torch.randn(*shape, generator=generator) * 0.1


def head(prefix, generator, channels):
    """STEGO-style ``cluster1`` / ``cluster2`` head (``channels`` -> CODE) under ``prefix``."""
    return {f'{prefix}1.0.weight': rand(generator, CODE, channels, 1, 1),
            f'{prefix}1.0.bias': rand(generator, CODE),
            f'{prefix}2.0.weight': rand(generator, channels, channels, 1, 1),
            f'{prefix}2.0.bias': rand(generator, channels),
            f'{prefix}2.2.weight': rand(generator, CODE, channels, 1, 1),
            f'{prefix}2.2.bias': rand(generator, CODE)}


def eagle_file(path):
    """A reference EAGLE Lightning file: keys of both blocks (2 x WIDTH channels) feed the head."""
    generator = torch.Generator().manual_seed(0)
    state = {f'net.model.{key}': value for key, value in vit_state(generator).items()}
    state.update(head('net.cluster', generator, 2 * WIDTH))
    state.update({'cluster_probe.clusters': rand(generator, CLUSTERS, CODE),
                  'linear_probe.weight': rand(generator, CLASSES, CODE, 1, 1),
                  'linear_probe.bias': rand(generator, CLASSES),
                  'project_head.weight': rand(generator, CODE, CODE),
                  'project_head.bias': rand(generator, CODE),
                  'train_cluster_probe_eigen.clusters': rand(generator, EIGEN_CLUSTERS, EIGEN - 1),
                  'train_cluster_probe_eigen_aug.clusters':
                      rand(generator, EIGEN_CLUSTERS, EIGEN - 1),
                  'decoder.weight': rand(generator, 2 * WIDTH, CODE, 1, 1),
                  'learned_centroids': rand(generator, CLASSES, CODE)})
    torch.save(dict(state_dict=state, epoch=3), path)
    return {'head.linear.weight': state['net.cluster1.0.weight'],
            'head.nonlinear.2.bias': state['net.cluster2.2.bias'],
            'projector.weight': state['project_head.weight'],
            'eigen_probe_aug.clusters': state['train_cluster_probe_eigen_aug.clusters'],
            'cluster_probe.clusters': state['cluster_probe.clusters'],
            'linear_probe.conv.weight': state['linear_probe.weight'],
            'backbone.encoder.blocks.1.attn.qkv.weight':
                state['net.model.blocks.1.attn.qkv.weight']}


def hp_file(path):
    """A reference HP ``ckpt.pth`` (DDP ``module.`` prefixes, no ``state_dict``)."""
    generator = torch.Generator().manual_seed(1)
    net = {f'module.model.{key}': value for key, value in vit_state(generator).items()}
    net.update({f'module.{key}': value for key, value in head('cluster', generator, WIDTH).items()})
    net.update({f'module.{key}': value
                for key, value in head('ema_model', generator, WIDTH).items()})
    linear = rand(generator, CLASSES, CODE)
    torch.save(dict(net_model_state_dict=net,
                    linear_model_state_dict={'module.linear_probe.weight': linear,
                                             'module.linear_probe.bias': rand(generator, CLASSES)},
                    cluster_model_state_dict={
                        'module.clusters': rand(generator, CLUSTERS, CODE)},
                    epoch=2), path)
    return {'head.linear.weight': net['module.cluster1.0.weight'],
            'ema_head.nonlinear.2.weight': net['module.ema_model2.2.weight'],
            'linear_probe.conv.weight': linear[:, :, None, None],
            'backbone.encoder.pos_embed': net['module.model.pos_embed']}


@pytest.mark.parametrize('method, write', [('eagle', eagle_file), ('hp', hp_file)])
def test_plugin_file_converts_and_loads(tmp_path, method, write):
    src, dst = str(tmp_path / f'{method}.ckpt'), str(tmp_path / 'converted.pth')
    expected = write(src)
    convert_checkpoint.main(['--from', method, src, dst])
    checkpoint = torch.load(dst, weights_only=True)
    state, meta = checkpoint['state_dict'], checkpoint['meta']
    arch = dict(img_size=64, patch_size=8, embed_dim=WIDTH, depth=2, num_heads=2)
    assert meta['arch'] == arch and meta['num_classes'] == CLASSES
    assert meta['code_channels'] == CODE and meta['config'] is None
    for key, value in expected.items():
        assert torch.equal(state[key], value), key
    info = discover_plugins()[method].convert_reference_checkpoint(
        convert_checkpoint.source_state_dict(torch.load(src, weights_only=True), src))
    model = init_segmentor(f'configs/{info["template"]}', dst, cfg_options=info['cfg_options'])
    model.test_cfg.update(crf=False)
    images = torch.randn(2, 3, 32, 40, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        code = model.predict_code(images)
        samples = model.predict(images, [model.sample_without_meta(images) for _ in range(2)])
    assert code.shape[:2] == (2, CODE) and torch.isfinite(code).all()
    for sample in samples:
        assert torch.isfinite(sample.seg_logits.data).all()
        assert sample.seg_logits.data.shape[0] == CLUSTERS


@pytest.mark.parametrize('method', ['eagle', 'hp'])
def test_plugin_file_without_backbone_is_a_key_error(tmp_path, method):
    src = str(tmp_path / 'headless.ckpt')
    torch.save(dict(state_dict={'net.cluster1.0.bias': torch.zeros(CODE)}) if method == 'eagle'
               else dict(net_model_state_dict={'cluster1.0.bias': torch.zeros(CODE)}), src)
    with pytest.raises(Exception, match=f'is not a released {method} checkpoint: .*no DINO ViT'):
        convert_checkpoint.main(['--from', method, src, str(tmp_path / 'out.pth')])


def released_vit(prefix, width):
    """Zero ViT tensors of a released DINO ViT-?/8 (12 blocks, 224 px) under ``prefix``."""
    state = {f'{prefix}{key}': torch.zeros(1) for key in convert_checkpoint.backbone_keys(
        {f'net.model.blocks.{block}.norm1.weight': 0 for block in range(12)})}
    state[f'{prefix}patch_embed.proj.weight'] = torch.zeros(width, 3, 8, 8)
    state[f'{prefix}pos_embed'] = torch.zeros(1, 28 * 28 + 1, width)
    state[f'{prefix}blocks.0.mlp.fc1.weight'] = torch.zeros(4 * width, width)
    return state


@pytest.mark.parametrize('clusters, config', [
    (32, 'configs/eagle/eagle_dino_vitb8_cocostuff27.py'),
    (28, 'configs/eagle/eagle_dino_vitb8_cityscapes27.py')])
def test_eagle_released_shapes_name_the_shipped_config(clusters, config):
    state = released_vit('net.model.', 768)
    state.update({'net.cluster1.0.weight': torch.zeros(512, 3 * 768, 1, 1),
                  'linear_probe.weight': torch.zeros(27, 512, 1, 1),
                  'cluster_probe.clusters': torch.zeros(clusters, 512),
                  'train_cluster_probe_eigen.clusters': torch.zeros(clusters, 3)})
    info = discover_plugins()['eagle'].convert_reference_checkpoint(state)
    assert (info['arch'], info['num_classes'], info['code_channels']) == ('dino_vitb8', 27, 512)
    assert info['config'] == config
    assert info['cfg_options']['model.key_blocks'] == (-3, -2, -1)


@pytest.mark.parametrize('width, classes, code, config, pool', [
    (384, 27, 512, None, 2048),  # COCO-Stuff and Cityscapes ViT-S/8: same shapes
    (768, 27, 512, 'configs/hp/hp_dino_vitb8_cityscapes27.py', 2048),
    (768, 3, 256, 'configs/hp/hp_dino_vitb8_potsdam3.py', 1024)])
def test_hp_released_shapes_name_the_shipped_config(width, classes, code, config, pool):
    state = released_vit('net_model_state_dict.model.', width)
    state.update({'net_model_state_dict.cluster1.0.weight': torch.zeros(code, width, 1, 1),
                  'linear_model_state_dict.linear_probe.weight': torch.zeros(classes, code),
                  'cluster_model_state_dict.clusters': torch.zeros(classes, code)})
    info = discover_plugins()['hp'].convert_reference_checkpoint(state)
    assert info['num_classes'] == classes and info['code_channels'] == code
    assert info['config'] == config
    assert info['state_dict']['pool_code'].shape == (pool, code)
    assert info['state_dict']['pool_feats'].shape == (pool, width)


def test_depthg_file_converts_with_stegos_layout_and_predicts_as_stego(tmp_path):
    """A DepthG file is STEGO's layout: ``--from depthg`` and ``--from stego`` give the same
    tensors (DepthG adds its schedule step), and the DepthG model predicts what the STEGO model does."""
    from .test_convert_checkpoint import write_reference
    src = write_reference(tmp_path, 'stego', name='depthg.ckpt')
    predictions, states = {}, {}
    for method in ('depthg', 'stego'):
        dst = str(tmp_path / f'{method}.pth')
        convert_checkpoint.main(['--from', method, src, dst])
        states[method] = torch.load(dst, weights_only=True)['state_dict']
        info = discover_plugins()[method].convert_reference_checkpoint(
            convert_checkpoint.source_state_dict(torch.load(src, weights_only=True), src)) \
            if method == 'depthg' else convert_checkpoint.convert_layout(
                convert_checkpoint.source_state_dict(torch.load(src, weights_only=True), src),
                'stego', src)[1]
        assert info['template'] == f'{method}/tiny_synthetic.py' and info['config'] is None
        model = init_segmentor(f'configs/{info["template"]}', dst, cfg_options=info['cfg_options'])
        model.test_cfg.update(crf=False, flip=False)
        images = torch.randn(2, 3, 32, 40, generator=torch.Generator().manual_seed(2))
        with torch.no_grad():
            samples = model.predict(images, [model.sample_without_meta(images) for _ in range(2)])
        predictions[method] = torch.stack([sample.seg_logits.data for sample in samples])
    assert states['depthg'].keys() - {'iteration'} == states['stego'].keys()
    assert all(torch.equal(states['depthg'][key], states['stego'][key]) for key in states['stego'])
    torch.testing.assert_close(predictions['depthg'], predictions['stego'])


def test_depthg_released_shapes_name_the_shipped_config():
    state = released_vit('net.model.', 768)
    state.update({key: torch.zeros(1) for key in convert_checkpoint.LAYOUTS['stego'].keys})
    state.update({'net.cluster1.0.weight': torch.zeros(100, 768, 1, 1),
                  'linear_probe.weight': torch.zeros(27, 100, 1, 1),
                  'cluster_probe.clusters': torch.zeros(27, 100)})
    info = discover_plugins()['depthg'].convert_reference_checkpoint(state)
    assert info['config'] == 'configs/depthg/depthg_dino_vitb8_cityscapes27.py'
    with pytest.raises(ValueError, match='missing keys'):
        discover_plugins()['depthg'].convert_reference_checkpoint(
            {key: value for key, value in state.items() if key != 'linear_probe.bias'})
