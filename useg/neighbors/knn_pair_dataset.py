"""A dataset wrapper that yields every training sample together with one of its KNN neighbours."""
import json

import numpy as np
from torch.utils.data import Dataset

from useg.features.pass_key import dataset_image_paths
from useg.registry import DATASETS
from useg.utils import image_list_digest
from .knn_cache import knn_table_file, load_knn_table

NEIGHBOR_INPUTS = 'neighbor_inputs'
NEIGHBOR_DEPTH = 'neighbor_depth'


@DATASETS.register_module()
class KNNPairDataset(Dataset):
    """Sample ``i`` of ``dataset`` plus the packed image of one of its nearest neighbours.

    The neighbour is ``table[i, r]`` with ``r`` uniform in ``1..num_neighbors`` (column 0, the image
    itself, is never picked); it goes through the same pipeline as the sample. Its ``inputs``
    tensor ``(3, H, W)`` is stored on the sample's data sample as ``neighbor_inputs`` (and its
    ``gt_depth_map``, when the pipeline loads one, as ``neighbor_depth``).

    The table comes from ``useg precompute CONFIG`` (the ``knn`` step) and is found by its cache key
    (see :mod:`useg.neighbors.knn_cache`; ``tools/train.py`` resolves it and sets ``knn_file``), or
    given directly as ``knn_file``. A table made for another image list (added, removed or
    replaced images) is refused.

    Args:
        dataset: config of the wrapped dataset (a dict: the cache key is computed from it).
        knn: ``dict(cache_dir, backbone, topk=30, pipeline=None)``: where tables live, the backbone
            config that produced them, how many neighbours were stored and, optionally, the pipeline
            used for extraction (default: the dataset's own).
        num_neighbors: how many of the stored neighbours (after self) a partner is drawn from.
        knn_file: explicit table path (bypasses the key lookup).
        lazy_init: defer reading the dataset and the table until :meth:`full_init`.
    """

    def __init__(self, dataset, knn=None, num_neighbors=7, knn_file=None, lazy_init=False):
        if not isinstance(dataset, dict):
            raise TypeError('KNNPairDataset needs the wrapped dataset as a config dict '
                            f'(its cache key depends on it), got {type(dataset).__name__}')
        if knn is None and knn_file is None:
            raise ValueError('KNNPairDataset needs knn=dict(cache_dir=..., backbone=...) or knn_file')
        if num_neighbors < 1:
            raise ValueError(f'num_neighbors must be >= 1, got {num_neighbors}')
        self.dataset_cfg = dataset
        self.knn = knn
        self.num_neighbors = num_neighbors
        self.knn_file = knn_file
        self.dataset = DATASETS.build(dataset)
        self.indices = None
        self._fully_initialized = False
        if not lazy_init:
            self.full_init()

    @property
    def metainfo(self):
        return self.dataset.metainfo

    def full_init(self):
        """Initialise the wrapped dataset and read the KNN table (checked against the dataset)."""
        if self._fully_initialized:
            return
        if hasattr(self.dataset, 'full_init'):
            self.dataset.full_init()
        img_paths = dataset_image_paths(self.dataset)
        if self.knn_file is None:
            self.knn_file = knn_table_file(self.knn, self.dataset_cfg, img_paths)[0]
        try:
            indices, _ = load_knn_table(self.knn_file)
        except FileNotFoundError:
            raise FileNotFoundError(
                f'KNN table {self.knn_file} not found: run `useg precompute CONFIG` '
                'with this training config first') from None
        if indices.shape[0] != len(self.dataset):
            raise ValueError(f'KNN table {self.knn_file} has {indices.shape[0]} rows but the dataset '
                             f'has {len(self.dataset)} samples: recompute it with '
                             '`useg precompute CONFIG --steps knn --force`')
        stored = _stored_image_digest(self.knn_file)
        if stored is not None and stored != image_list_digest(img_paths):
            raise ValueError(f'KNN table {self.knn_file} was computed for another list of images '
                             '(added, removed or replaced files): recompute it with '
                             '`useg precompute CONFIG --steps knn --force`')
        if indices.shape[1] <= self.num_neighbors:
            raise ValueError(f'KNN table {self.knn_file} stores {indices.shape[1] - 1} neighbours per '
                             f'sample; num_neighbors={self.num_neighbors} needs more')
        self.indices = indices
        self._fully_initialized = True

    def __len__(self):
        self.full_init()
        return len(self.dataset)

    def __getitem__(self, index):
        self.full_init()
        results = self.dataset[index]
        rank = np.random.randint(1, self.num_neighbors + 1)
        partner = self.dataset[int(self.indices[index, rank])]
        results['data_samples'].set_field(partner['inputs'], NEIGHBOR_INPUTS)
        if 'gt_depth_map' in partner['data_samples']:
            results['data_samples'].set_field(partner['data_samples'].gt_depth_map, NEIGHBOR_DEPTH)
        return results


def _stored_image_digest(path):
    """The image-list digest stored with a table (None for tables without one)."""
    with np.load(path) as table:
        params = json.loads(str(table['params'])) if 'params' in table else {}
    return params.get('images') if isinstance(params, dict) else None
