"""KNNPairDataset and the on-disk KNN table: keys, pairing rule, clear errors."""
import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope

from useg.neighbors import (NEIGHBOR_INPUTS, KNNPairDataset, knn_cache_params, knn_table_file,
                            load_knn_table, save_knn_table)

PIPELINE = [dict(type='LoadImageFromFile'), dict(type='LoadCheckedAnnotations'),
            dict(type='PackSegInputs')]
BACKBONE = dict(type='DINOViT', arch='vit_tiny_p8')


@pytest.fixture(autouse=True)
def useg_scope():
    init_default_scope('useg')


@pytest.fixture
def dataset_cfg(synthetic_data_root):
    return dict(type='ImageFolderDataset', data_root=synthetic_data_root, split='train',
                num_classes=4, pipeline=PIPELINE)


def write_table(path, count, topk=4):
    """Row i: i, then (i + 1) % N, (i + 2) % N, ... so the partner of i is known."""
    indices = (np.arange(count)[:, None] + np.arange(topk)[None]) % count
    save_knn_table(path, indices, np.ones((count, topk)), dict(test=True))


def test_cache_key_changes_with_what_changes_the_table(tmp_path, dataset_cfg):
    knn = dict(cache_dir=str(tmp_path), backbone=BACKBONE)
    paths = ['a.png', 'b.png']
    for name in paths:
        (tmp_path / name).write_bytes(name.encode())
    paths = [str(tmp_path / name) for name in paths]
    path, params = knn_table_file(knn, dataset_cfg, paths)
    assert path.startswith(str(tmp_path)) and path.endswith('.npz')
    assert knn_table_file(dict(knn), dict(dataset_cfg), list(paths))[0] == path
    assert knn_table_file(dict(knn, topk=10), dataset_cfg, paths)[0] != path
    assert knn_table_file(dict(knn, backbone=dict(BACKBONE, arch='dino_vits8')), dataset_cfg,
                          paths)[0] != path
    assert knn_table_file(knn, dict(dataset_cfg, split='val'), paths)[0] != path
    assert knn_table_file(dict(knn, pipeline=PIPELINE[:1]), dataset_cfg, paths)[0] != path
    assert knn_table_file(knn, dict(dataset_cfg, serialize_data=False), paths)[0] == path
    assert knn_table_file(knn, dataset_cfg, paths[:1])[0] != path  # the image list is in the key


def test_relative_cache_dir_lives_under_the_cache_root(tmp_path, dataset_cfg, monkeypatch):
    monkeypatch.setenv('USEG_CACHE', str(tmp_path))
    path, _ = knn_table_file(dict(cache_dir='data/knn', backbone=BACKBONE), dataset_cfg, [])
    assert path.startswith(str(tmp_path / 'data' / 'knn'))


def test_table_round_trip(tmp_path):
    path = str(tmp_path / 'sub' / 'table.npz')
    write_table(path, 5)
    indices, similarities = load_knn_table(path)
    assert indices.dtype == np.int64 and indices.shape == (5, 4)
    assert indices[3].tolist() == [3, 4, 0, 1]
    assert similarities.dtype == np.float32


def test_pairs_come_from_neighbours_one_to_num_neighbors(tmp_path, dataset_cfg):
    path = str(tmp_path / 'table.npz')
    write_table(path, 16)
    dataset = KNNPairDataset(dataset_cfg, knn_file=path, num_neighbors=2)
    assert len(dataset) == 16 and dataset.metainfo['classes'][0] == 'class_0'
    images = [dataset.dataset[i]['inputs'] for i in range(16)]
    np.random.seed(0)
    seen = set()
    for _ in range(12):
        sample = dataset[5]
        partner = sample['data_samples'].get(NEIGHBOR_INPUTS)
        assert partner.shape == sample['inputs'].shape
        matches = [i for i, image in enumerate(images) if torch.equal(image, partner)]
        seen.update(matches)
    assert seen == {6, 7}  # never itself (column 0), never beyond num_neighbors


def test_keyed_lookup_and_missing_table_message(tmp_path, dataset_cfg):
    knn = dict(cache_dir=str(tmp_path), backbone=BACKBONE)
    with pytest.raises(FileNotFoundError, match='useg precompute CONFIG'):
        KNNPairDataset(dataset_cfg, knn=knn)
    from useg.features import dataset_image_paths
    from useg.registry import DATASETS
    write_table(knn_table_file(knn, dataset_cfg,
                               dataset_image_paths(DATASETS.build(dataset_cfg)))[0], 16)
    assert len(KNNPairDataset(dataset_cfg, knn=knn, num_neighbors=3)) == 16


def test_stale_or_short_table_raises(tmp_path, dataset_cfg):
    path = str(tmp_path / 'table.npz')
    write_table(path, 9)
    with pytest.raises(ValueError, match='has 9 rows but the dataset has 16'):
        KNNPairDataset(dataset_cfg, knn_file=path)
    write_table(path, 16, topk=3)
    with pytest.raises(ValueError, match='num_neighbors=3 needs more'):
        KNNPairDataset(dataset_cfg, knn_file=path, num_neighbors=3)


def test_bad_arguments(dataset_cfg):
    with pytest.raises(ValueError, match='needs knn='):
        KNNPairDataset(dataset_cfg)
    with pytest.raises(TypeError, match='config dict'):
        KNNPairDataset(object(), knn_file='x.npz')
    with pytest.raises(KeyError, match='backbone'):
        KNNPairDataset(dataset_cfg, knn=dict(cache_dir='x'))


def test_precompute_needs_a_knn_pair_training_set():
    from mmengine.config import Config

    from useg.utils import UsegError
    from useg.neighbors.precompute import precompute_knn
    with pytest.raises(UsegError, match='KNNPairDataset'):
        precompute_knn(Config(dict(train_dataloader=dict(dataset=dict(type='ImageFolderDataset')))))
    with pytest.raises(UsegError, match='KNNPairDataset'):
        precompute_knn(Config(dict()))
