"""The depth precompute on tiny random-initialised transformers models saved to a temp dir."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
import transformers
from PIL import Image

from useg_depthg import depth_to_uint8, precompute_depth_maps


def depth_anything():
    backbone = transformers.Dinov2Config(
        hidden_size=16, num_hidden_layers=4, num_attention_heads=2, intermediate_size=32, patch_size=14,
        image_size=28, out_features=['stage1', 'stage2', 'stage3', 'stage4'], reshape_hidden_states=False)
    config = transformers.DepthAnythingConfig(backbone_config=backbone, reassemble_hidden_size=16,
                                              neck_hidden_sizes=[8, 8, 8, 8], fusion_hidden_size=8,
                                              head_hidden_size=8, patch_size=14)
    processor = transformers.DPTImageProcessor(size=dict(height=28, width=28), keep_aspect_ratio=False)
    return transformers.DepthAnythingForDepthEstimation(config), processor, 'disparity'


def dpt():
    config = transformers.DPTConfig(hidden_size=16, num_hidden_layers=4, num_attention_heads=2,
                                    intermediate_size=32, image_size=32, patch_size=16,
                                    backbone_out_indices=[0, 1, 2, 3], neck_hidden_sizes=[8, 8, 8, 8],
                                    fusion_hidden_size=8, head_in_index=-1)
    processor = transformers.DPTImageProcessor(size=dict(height=32, width=32), keep_aspect_ratio=False)
    return transformers.DPTForDepthEstimation(config), processor, 'disparity'


def zoedepth():
    backbone = transformers.BeitConfig(
        hidden_size=16, num_hidden_layers=4, num_attention_heads=2, intermediate_size=32, image_size=32,
        patch_size=16, out_features=['stage1', 'stage2', 'stage3', 'stage4'], reshape_hidden_states=False,
        use_relative_position_bias=True)
    config = transformers.ZoeDepthConfig(
        backbone_config=backbone, neck_hidden_sizes=[8, 8, 8, 8], fusion_hidden_size=8,
        reassemble_factors=[4, 2, 1, 0.5], bottleneck_features=8, num_relative_features=8,
        bin_embedding_dim=8, num_attractors=[4, 2, 2, 2], patch_size=16, backbone_hidden_size=16,
        bin_configurations=[dict(n_bins=8, min_depth=0.001, max_depth=10.0, name='nyu')],
        head_in_index=-1, use_pretrained_backbone=False)
    processor = transformers.ZoeDepthImageProcessor(size=dict(height=32, width=32), keep_aspect_ratio=False,
                                                    ensure_multiple_of=16)
    return transformers.ZoeDepthForDepthEstimation(config), processor, 'depth'  # metric depth


@pytest.mark.parametrize('build', [depth_anything, dpt, zoedepth], ids=['depth_anything', 'dpt', 'zoedepth'])
def test_precompute_depth_maps_offline(tmp_path, build):
    torch.manual_seed(0)
    model, processor, kind = build()
    model_dir = tmp_path / 'model'
    model.save_pretrained(model_dir)
    processor.save_pretrained(model_dir)
    (tmp_path / 'images' / 'city').mkdir(parents=True)
    paths = []
    for index, shape in enumerate([(20, 30), (24, 18)]):
        path = tmp_path / 'images' / 'city' / f'im{index}.jpg'
        Image.fromarray(np.random.RandomState(index).randint(0, 255, (*shape, 3), dtype=np.uint8)).save(path)
        paths.append(str(path))
    written = precompute_depth_maps(paths, str(tmp_path / 'depth'), str(model_dir),
                                    image_root=str(tmp_path / 'images'))
    assert written == [str(tmp_path / 'depth' / 'city' / f'im{i}.png') for i in range(2)]
    model.eval()
    for path, target in zip(paths, written):
        image = Image.open(path).convert('RGB')
        with torch.no_grad():
            predicted = model(**processor(images=[image], return_tensors='pt')).predicted_depth
        resized = F.interpolate(predicted[:, None], size=image.size[::-1], mode='bilinear',
                                align_corners=False)[0, 0]
        stored = np.array(Image.open(target))
        assert stored.dtype == np.uint8 and stored.shape == image.size[::-1]
        assert np.array_equal(stored, depth_to_uint8(resized, kind))  # kind='auto' follows the model
    other = 'depth' if kind == 'disparity' else 'disparity'
    flat = precompute_depth_maps(paths[:1], str(tmp_path / 'flat'), str(model_dir), kind=other,
                                 batch_size=2)
    assert flat == [str(tmp_path / 'flat' / 'im0.png')]
    as_depth, as_disparity = (np.array(Image.open(p)).astype(int) for p in (flat[0], written[0]))
    assert np.abs(as_depth + as_disparity - 255).max() <= 1  # the flip, up to truncation
