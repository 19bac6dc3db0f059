"""The one key of every frozen-backbone pass: what changes it and what does not."""
import os
import shutil

import pytest

from useg.features import dataset_image_paths, frozen_pass_key, frozen_pass_params
from useg.utils import cache_root, image_list_digest, resolve_cache_dir
from useg.precompute import precompute_command

BACKBONE = dict(type='DINOViT', arch='vit_tiny_p8')
DATASET = dict(type='ImageFolderDataset', data_root='data/x', pipeline=[dict(type='Resize')])


@pytest.fixture
def images(tmp_path):
    paths = []
    for name in 'abc':
        (tmp_path / f'{name}.png').write_bytes(name.encode())
        paths.append(str(tmp_path / f'{name}.png'))
    return paths


def key(backbone=BACKBONE, dataset=DATASET, paths=(), **params):
    return frozen_pass_key(frozen_pass_params(backbone, dataset, list(paths), **params))


def test_key_covers_backbone_weights_dataset_pipeline_images_and_params(tmp_path, images):
    reference = key(paths=images, topk=5)
    assert reference == key(paths=list(images), topk=5)
    assert key(dataset=dict(DATASET, serialize_data=False), paths=images, topk=5) == reference
    variants = [key(backbone=dict(BACKBONE, arch='vit_small_p8'), paths=images, topk=5),
                key(dataset=dict(DATASET, data_root='data/y'), paths=images, topk=5),
                key(dataset=dict(DATASET, pipeline=[dict(type='Resize', scale=(8, 8))]),
                    paths=images, topk=5),
                key(paths=images, topk=6),
                key(backbone=None, paths=images, topk=5),
                key(paths=images[:2], topk=5),  # an image removed
                key(paths=images[::-1], topk=5)]  # reordered
    assert len({reference, *variants}) == len(variants) + 1
    weights = tmp_path / 'weights.pth'
    weights.write_bytes(b'one')
    with_weights = dict(BACKBONE, init_cfg=dict(type='Pretrained', checkpoint=str(weights)))
    before = key(backbone=with_weights, paths=images)
    weights.write_bytes(b'other weights')
    assert key(backbone=with_weights, paths=images) != before


def test_image_list_digest_sees_replaced_files_of_the_same_name(images):
    before = image_list_digest(images)
    with open(images[1], 'wb') as file:
        file.write(b'a different, longer image')
    assert image_list_digest(images) != before
    changed = image_list_digest(images)
    stat = os.stat(images[0])
    shutil.copyfile(images[2], images[0])  # same size and name, other content
    os.utime(images[0], ns=(stat.st_atime_ns, stat.st_mtime_ns + 10 ** 9))
    assert image_list_digest(images) != changed


def test_dataset_image_paths_follow_the_dataset_order(synthetic_data_root):
    from mmengine.registry import init_default_scope

    from useg.registry import DATASETS
    init_default_scope('useg')
    dataset = DATASETS.build(dict(type='ImageFolderDataset', data_root=synthetic_data_root,
                                  split='val', num_classes=4, pipeline=[]))
    paths = dataset_image_paths(dataset)
    assert len(paths) == 8 and paths == sorted(paths) and all(os.path.isfile(p) for p in paths)


def test_cache_dirs_live_under_useg_cache_or_the_work_dir(monkeypatch, tmp_path):
    monkeypatch.delenv('USEG_CACHE', raising=False)
    assert resolve_cache_dir('data/knn', 'work_dirs/a', 'knn') == os.path.join(
        'work_dirs/a', 'cache', 'data/knn')
    assert resolve_cache_dir(None, 'work_dirs/a', 'knn') == os.path.join('work_dirs/a', 'cache', 'knn')
    assert resolve_cache_dir(str(tmp_path), 'work_dirs/a') == str(tmp_path)
    with pytest.raises(ValueError, match='USEG_CACHE'):
        cache_root(None)
    monkeypatch.setenv('USEG_CACHE', str(tmp_path / 'shared'))
    assert resolve_cache_dir('knn', 'work_dirs/a') == str(tmp_path / 'shared' / 'knn')


def test_precompute_command_names_a_non_default_work_dir(monkeypatch):
    monkeypatch.delenv('USEG_CACHE', raising=False)
    assert precompute_command('configs/stego/x.py', 'work_dirs/x') == \
        'useg precompute configs/stego/x.py'
    assert precompute_command('configs/stego/x.py', '/runs/7', ['knn'], force=True) == \
        'useg precompute configs/stego/x.py --work-dir /runs/7 --steps knn --force'
