"""Nearest-neighbour images (STEGO-style KNN positives): search, on-disk tables, pair dataset."""
from .knn import dense_nearest_neighbors, nearest_neighbors, pooled_descriptors
from .knn_cache import (extraction_dataset_cfg, knn_cache_file, knn_cache_params, knn_table_file,
                        load_knn_table, save_knn_table)
from .knn_pair_dataset import NEIGHBOR_DEPTH, NEIGHBOR_INPUTS, KNNPairDataset
from .precompute import precompute_knn, resolve_knn_cache
from .precompute_step import KNNTableStep

__all__ = ['KNNPairDataset', 'KNNTableStep', 'NEIGHBOR_DEPTH', 'NEIGHBOR_INPUTS', 'dense_nearest_neighbors',
           'extraction_dataset_cfg', 'knn_cache_file', 'knn_cache_params', 'knn_table_file', 'load_knn_table',
           'nearest_neighbors', 'pooled_descriptors', 'precompute_knn', 'resolve_knn_cache',
           'save_knn_table']
