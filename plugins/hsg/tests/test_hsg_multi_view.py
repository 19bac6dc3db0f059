"""Two augmented views carry the same region ids and are interleaved in the batch."""
import numpy as np
import pytest
import torch
from PIL import Image

from useg.registry import MODELS, TRANSFORMS


def _results(size=32):
    regions = np.repeat(np.arange(4, dtype=np.uint8), size * size // 4).reshape(size, size)
    image = np.stack([regions * 60] * 3, axis=-1).astype(np.uint8)
    return dict(img=image, img_shape=image.shape[:2], ori_shape=image.shape[:2],
                img_path='x.png', pseudo_seg_map=regions, seg_fields=['pseudo_seg_map'])


def test_views_share_region_ids_and_crop_with_the_image():
    np.random.seed(0)
    multi_view = TRANSFORMS.build(dict(type='MultiView', num_views=2, view_pipeline=[
        dict(type='RandomScaleCrop', crop_size=24, scale_range=(0.5, 1.5))]))
    packed = TRANSFORMS.build(dict(type='PackMultiViewInputs'))(multi_view(_results()))
    sample = packed['data_samples']
    (view_inputs, view_sample), = sample.extra_views
    assert packed['inputs'].shape == view_inputs.shape == (3, 24, 24)
    for inputs, regions in ((packed['inputs'], sample.pseudo_sem_seg.data[0]),
                            (view_inputs, view_sample.pseudo_sem_seg.data[0])):
        inside = regions != 255
        assert set(regions[inside].unique().tolist()) <= {0, 1, 2, 3}
        # Image intensity is 60 * region id (up to bilinear blur on the region borders).
        error = (inputs[0][inside].long() - regions[inside] * 60).abs()
        assert (error > 30).float().mean() < 0.1


def test_preprocessor_interleaves_views():
    np.random.seed(1)
    pipeline = [TRANSFORMS.build(dict(type='MultiView', num_views=2, view_pipeline=[
        dict(type='RandomScaleCrop', crop_size=16)])), TRANSFORMS.build(
        dict(type='PackMultiViewInputs'))]
    batch = dict(inputs=[], data_samples=[])
    for _ in range(2):
        results = _results()
        for step in pipeline:
            results = step(results)
        batch['inputs'].append(results['inputs'])
        batch['data_samples'].append(results['data_samples'])
    first_views = [batch['inputs'][0].clone(), batch['inputs'][1].clone()]
    preprocessor = MODELS.build(dict(type='MultiViewSegDataPreProcessor', mean=[0, 0, 0],
                                     std=[1, 1, 1], size=(16, 16)))
    data = preprocessor(batch, training=True)
    assert data['inputs'].shape == (4, 3, 16, 16)
    assert len(data['data_samples']) == 4
    assert torch.equal(data['inputs'][0], first_views[0].float())
    assert torch.equal(data['inputs'][2], first_views[1].float())


def test_region_map_loading(tmp_path):
    regions = np.array([[1, 2], [3, 4]], dtype=np.uint16)
    (tmp_path / 'regions').mkdir()
    Image.fromarray(regions).save(tmp_path / 'regions' / 'a.png')
    load = TRANSFORMS.build(dict(type='LoadRegionMap', region_root=str(tmp_path / 'regions')))
    results = load(dict(img=np.zeros((2, 2, 3), np.uint8), img_path=str(tmp_path / 'sub' / 'a.jpg')))
    assert results['pseudo_seg_map'].tolist() == [[1, 2], [3, 4]]
    assert 'pseudo_seg_map' in results['seg_fields']
    with pytest.raises(FileNotFoundError, match='FelzenszwalbRegions'):
        load(dict(img=np.zeros((2, 2, 3), np.uint8), img_path=str(tmp_path / 'sub' / 'b.jpg')))
    with pytest.raises(ValueError, match='image is'):
        load(dict(img=np.zeros((3, 2, 3), np.uint8), img_path=str(tmp_path / 'sub' / 'a.jpg')))
