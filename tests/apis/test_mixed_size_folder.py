"""The own-data recipe on a folder shaped like real photos: mixed sizes and orientations, one
greyscale, one RGBA and one 16-bit PNG, labels at each image's own size."""
import os
import os.path as osp

import numpy as np
import pytest

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# (height, width, kind): landscape, portrait, odd sizes (not multiples of the patch size 8) and
# one smaller than the crop
IMAGES = [(40, 64, 'rgb'), (72, 48, 'grey'), (57, 57, 'rgba'), (48, 90, 'rgb16'), (61, 43, 'rgb'),
          (12, 12, 'rgb')]


def write_image(path, height, width, kind, rng):
    from PIL import Image
    pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    if kind == 'grey':
        Image.fromarray(pixels[..., 0], 'L').save(path)
    elif kind == 'rgba':
        alpha = np.full((height, width, 1), 200, np.uint8)
        Image.fromarray(np.concatenate([pixels, alpha], -1), 'RGBA').save(path)
    elif kind in ('rgb16', 'grey16'):
        import cv2
        cv2.imwrite(path, (pixels if kind == 'rgb16' else pixels[..., 0]).astype(np.uint16) * 257)
    else:
        Image.fromarray(pixels, 'RGB').save(path)


def write_photo_folder(root, images, ignore_rows=0):
    """``imgs/{train,val}/photo<i>.png`` of ``images`` (``(height, width, kind)``, see
    :func:`write_image`) under ``root``, with random 4-class labels at each image's own size (the
    first ``ignore_rows`` rows 255); returns ``root``."""
    from PIL import Image
    rng = np.random.default_rng(0)
    for split in ('train', 'val'):
        os.makedirs(osp.join(root, 'imgs', split))
        os.makedirs(osp.join(root, 'labels', split))
        for index, (height, width, kind) in enumerate(images):
            write_image(osp.join(root, 'imgs', split, f'photo{index}.png'), height, width, kind,
                        rng)
            label = rng.integers(0, 4, (height, width), dtype=np.uint8)
            label[:ignore_rows] = 255
            Image.fromarray(label).save(osp.join(root, 'labels', split, f'photo{index}.png'))
    return root


@pytest.fixture(scope='module')
def photo_folder(tmp_path_factory):
    return write_photo_folder(str(tmp_path_factory.mktemp('photos')), IMAGES, ignore_rows=3)


def test_preprocessor_pads_only_mixed_evaluation_batches():
    import torch
    from mmseg.structures import SegDataSample
    from useg.models import UsegDataPreProcessor, unpadded_batches
    preprocessor = UsegDataPreProcessor(mean=[0., 0., 0.], std=[1., 1., 1.], size_divisor=8)
    same = [torch.rand(3, 16, 24) for _ in range(2)]
    samples = [SegDataSample(metainfo=dict(img_shape=(16, 24))) for _ in range(2)]
    out = preprocessor(dict(inputs=same, data_samples=samples), False)
    assert torch.equal(out['inputs'], torch.stack(same))
    assert unpadded_batches(out['inputs'], out['data_samples'])[0][0] is out['inputs']
    mixed = [torch.rand(3, 13, 24), torch.rand(3, 32, 9)]
    samples = [SegDataSample(metainfo=dict(img_shape=tuple(x.shape[1:]))) for x in mixed]
    out = preprocessor(dict(inputs=mixed, data_samples=samples), False)
    assert out['inputs'].shape == (2, 3, 32, 24)
    batches = unpadded_batches(out['inputs'], out['data_samples'])
    assert [tuple(x.shape[-2:]) for x, _ in batches] == [(16, 24), (32, 16)]
    assert torch.equal(batches[0][0][0, :, :13], mixed[0])
    assert batches[0][0][0, :, 13:].abs().sum() == 0
    assert [s.img_shape for _, (s,) in batches] == [(13, 24), (32, 9)]


@pytest.mark.parametrize('method', ['baseline', 'stego', 'primaps'])
def test_mixed_size_folder_trains_tests_and_infers(method, photo_folder, tmp_path, train_test):
    from useg.apis import init_segmentor, segment_images
    config = tmp_path / 'my_method.py'
    config.write_text(f"_base_ = [{f'{REPO_ROOT}/configs/{method}/tiny_synthetic.py'!r}]\n"
                      f"own_data = dict(data_root={photo_folder!r}, num_classes=4, crop_size=32)\n")
    work_dir = str(tmp_path / 'work_dir')
    metrics = train_test(str(config), cfg_options={'train_cfg.max_iters': 2,
                                                    'default_hooks.checkpoint.interval': 2},
                         work_dir=work_dir, data_root=photo_folder)
    assert any(key.endswith('mIoU') for key in metrics), metrics
    model = init_segmentor(str(config), osp.join(work_dir, 'iter_2.pth'), device='cpu')
    written = segment_images(model, [osp.join(photo_folder, 'imgs', 'val')],
                             str(tmp_path / 'infer'))
    assert len(written) == len(IMAGES)
    from PIL import Image
    sizes = sorted(Image.open(path).size[::-1] for path in written)
    assert sizes == sorted((height, width) for height, width, _ in IMAGES)


def test_mixed_batch_predicts_each_image_as_alone(photo_folder, tmp_path, train_test):
    import torch
    from mmseg.structures import SegDataSample
    from useg.apis import init_segmentor
    config = tmp_path / 'my_method.py'
    config.write_text(f"_base_ = [{f'{REPO_ROOT}/configs/baseline/tiny_synthetic.py'!r}]\n"
                      f"own_data = dict(data_root={photo_folder!r}, num_classes=4, crop_size=32)\n"
                      "model = dict(test_cfg=dict(crf=False))\n")
    work_dir = str(tmp_path / 'work_dir')
    train_test(str(config), cfg_options={'train_cfg.max_iters': 2, 'train_cfg.val_interval': 2,
                                          'default_hooks.checkpoint.interval': 2},
               work_dir=work_dir, data_root=photo_folder)
    model = init_segmentor(str(config), osp.join(work_dir, 'iter_2.pth'), device='cpu')
    images = [torch.randint(0, 256, (3, 40, 64), dtype=torch.uint8),
              torch.randint(0, 256, (3, 21, 30), dtype=torch.uint8)]

    def samples(shapes):
        return [SegDataSample(metainfo=dict(img_shape=shape, ori_shape=shape)) for shape in shapes]

    with torch.no_grad():
        batch = model.test_step(dict(inputs=images, data_samples=samples([(40, 64), (21, 30)])))
        alone = [model.test_step(dict(inputs=[image], data_samples=samples([image.shape[1:]])))[0]
                 for image in images]
    assert batch[0].seg_logits.data.shape[-2:] == (40, 64)
    assert batch[1].seg_logits.data.shape[-2:] == (21, 30)
    for mixed, single in zip(batch, alone):
        torch.testing.assert_close(mixed.seg_logits.data, single.seg_logits.data)


def test_infer_shrinks_images_above_max_side_and_keeps_their_size(tmp_path):
    """A very large image is predicted at ``max_side`` on its longer side (a memory bound), its
    map written at the image's own size; smaller images are untouched."""
    import torch
    from mmengine.registry import init_default_scope
    from PIL import Image
    from useg.apis import init_segmentor, load_config, segment_images
    from useg.registry import MODELS
    cfg = load_config(osp.join(REPO_ROOT, 'configs', 'baseline', 'tiny_synthetic.py'))
    cfg.model.test_cfg = dict(crf=False)
    init_default_scope('useg')
    torch.manual_seed(0)
    checkpoint = str(tmp_path / 'model.pth')
    torch.save(dict(state_dict=MODELS.build(cfg.model).state_dict()), checkpoint)
    model = init_segmentor(cfg, checkpoint)
    images = tmp_path / 'images'
    images.mkdir()
    rng = np.random.default_rng(0)
    for name, (height, width) in dict(wide=(90, 700), portrait=(500, 120), small=(40, 56)).items():
        write_image(str(images / f'{name}.png'), height, width, 'rgb', rng)
    seen = []
    test_step = model.test_step

    def recorded(batch):
        seen.append(tuple(batch['inputs'][0].shape[-2:]))
        return test_step(batch)

    model.test_step = recorded
    written = segment_images(model, [str(images)], str(tmp_path / 'out'), max_side=128)
    sizes = {osp.basename(path): Image.open(path).size[::-1] for path in written}
    assert sizes == {'portrait.png': (500, 120), 'small.png': (40, 56), 'wide.png': (90, 700)}
    assert sorted(seen) == sorted([(128, 31), (40, 56), (16, 128)])  # (h, w) given to the model
