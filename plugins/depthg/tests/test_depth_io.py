import numpy as np
import pytest
import torch
from PIL import Image

from useg.registry import TRANSFORMS
from useg_depthg import depth_to_uint8


def test_depth_to_uint8_truncates_and_flips():
    values = np.array([[1.0, 2.0], [3.0, 4.0]], dtype=np.float32)
    out = depth_to_uint8(torch.from_numpy(values))
    x = (values - 1) / 3
    assert out.dtype == np.uint8 and np.array_equal(out, (x * 255).astype(np.uint8))
    assert out[0, 0] == 0 and out[1, 1] == 255 and out[0, 1] == 85
    flipped = depth_to_uint8(values, kind='disparity')
    assert flipped[0, 0] == 255 and flipped[1, 1] == 0
    assert np.array_equal(flipped, ((1 - x) * 255).astype(np.uint8))
    assert not depth_to_uint8(np.full((3, 3), 7.0)).any()
    with pytest.raises(ValueError):
        depth_to_uint8(values, kind='metric')


@pytest.mark.parametrize('scale', ['unit', 'raw', 'truncate'])
def test_load_depth_map_scales_and_paths(tmp_path, scale):
    eight = np.array([[0, 128], [255, 3]], dtype=np.uint8)
    sixteen = np.array([[0, 1000], [65535, 7]], dtype=np.uint16)
    Image.fromarray(eight).save(tmp_path / 'a.png')
    Image.fromarray(sixteen).save(tmp_path / 'b.png')
    floats = np.array([[0.25, 1.5]], dtype=np.float32)
    np.save(tmp_path / 'c.npy', floats)
    torch.save(torch.from_numpy(floats), tmp_path / 'd.pt')
    load = TRANSFORMS.build(dict(type='LoadDepthMap', scale=scale))
    results = {key: load(dict(depth_path=str(tmp_path / name), seg_fields=[]))['gt_depth_map']
               for key, name in dict(a='a.png', b='b.png', c='c.npy', d='d.pt').items()}
    for value in results.values():
        assert value.dtype == np.float32
    unit = dict(a=eight / np.float32(255), b=sixteen / np.float32(65535), c=floats, d=floats)
    raw = dict(a=eight.astype(np.float32), b=sixteen.astype(np.float32), c=floats, d=floats)
    expected = dict(unit=unit, raw=raw, truncate={k: np.trunc(v) for k, v in unit.items()})[scale]
    for key, value in results.items():
        assert np.allclose(value, expected[key]), key
    # the path from img_path: the image root swapped for depth_root, the suffix for the extension
    (tmp_path / 'depth').mkdir()
    np.save(tmp_path / 'depth' / 'img.npy', floats)
    derived = TRANSFORMS.build(dict(type='LoadDepthMap', depth_root=str(tmp_path / 'depth'),
                                    suffix='.npy'))(
        dict(img_path='/images/img.jpg', seg_fields=['gt_seg_map']))
    assert derived['seg_fields'] == ['gt_seg_map', 'gt_depth_map']
    with pytest.raises(FileNotFoundError, match='useg precompute'):
        TRANSFORMS.build(dict(type='LoadDepthMap'))(dict(img_path=str(tmp_path / 'missing.jpg')))


def test_depth_map_follows_geometric_transforms_and_is_packed(tmp_path):
    image = np.random.RandomState(0).randint(0, 255, (20, 30, 3), dtype=np.uint8)
    Image.fromarray(image).save(tmp_path / 'im.jpg')
    depth = np.tile(np.arange(30, dtype=np.uint8)[None] * 8, (20, 1))
    Image.fromarray(depth).save(tmp_path / 'im.png')
    pipeline = [dict(type='LoadImageFromFile'), dict(type='LoadDepthMap'),
                dict(type='PILResizeShortSide', scale=10, interpolation='bilinear'),
                dict(type='TorchvisionCenterCrop', crop_size=10), dict(type='PackSegInputs')]
    results = dict(img_path=str(tmp_path / 'im.jpg'), seg_fields=[])
    for step in pipeline:
        results = TRANSFORMS.build(step)(results)
    packed = results['data_samples'].gt_depth_map.data
    assert packed.shape == (1, 10, 10) and results['inputs'].shape == (3, 10, 10)
    assert (packed[0, :, 1:] >= packed[0, :, :-1]).all()  # still increasing to the right
