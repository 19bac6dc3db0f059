"""KNNPairDataset carries the KNN neighbour's depth map next to its image."""
import glob

import numpy as np
from mmengine.registry import init_default_scope

from useg.datasets import make_synthetic_dataset
from useg.neighbors import NEIGHBOR_DEPTH, KNNPairDataset


def test_neighbor_depth_is_the_partners_depth(tmp_path):
    init_default_scope('useg')
    root = str(tmp_path / 'scenes')
    make_synthetic_dataset(root, num_train=4, num_val=1, size=(16, 16), num_classes=2, seed=0)
    dataset = dict(type='ImageFolderDataset', data_root=root, split='train', num_classes=2,
                   pipeline=[dict(type='LoadImageFromFile'), dict(type='LoadDepthMap', suffix='.npy'),
                             dict(type='PackSegInputs')])
    images = sorted(glob.glob(f'{root}/imgs/train/*.png'))
    for index, path in enumerate(images):
        np.save(path[:-4] + '.npy', np.full((16, 16), index / 10, dtype=np.float32))
    table = tmp_path / 'knn.npz'
    indices = np.array([[i, (i + 1) % 4] for i in range(4)])
    np.savez(table, indices=indices, similarities=np.ones((4, 2), dtype=np.float32))
    pairs = KNNPairDataset(dataset, knn_file=str(table), num_neighbors=1)
    for index in range(4):
        sample = pairs[index]['data_samples']
        assert float(sample.gt_depth_map.data[0, 0, 0]) == np.float32(index / 10)
        assert float(sample.get(NEIGHBOR_DEPTH).data[0, 0, 0]) == np.float32(((index + 1) % 4) / 10)
