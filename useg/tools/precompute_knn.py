"""Compute and cache the KNN table a STEGO-style config trains with.

``python tools/precompute_knn.py CONFIG [--work-dir DIR] [--batch-size N] [--workers N]
[--device cuda] [--precision auto|fp32|fp16|bf16] [--force] [--launcher pytorch]``

The config's training set must be a ``KNNPairDataset`` whose ``knn = dict(cache_dir, backbone,
topk=30, pipeline=None)`` says where the table goes and which backbone describes the images. Every
image is passed through that backbone (eval mode; features come from ``tools/extract_features.py``'s
cache when there is one), its features are average-pooled and L2-normalised, and the top-``topk``
cosine neighbours of every image (itself first) are searched in chunks (memory O(N * topk), never
the N x N matrix) and saved as ``<cache_dir>/knn_<key>.npz``. The key covers the backbone and its
weights, the dataset, its pipeline and its ordered image list (sizes, mtimes) and ``topk``. A relative
``cache_dir`` lives under ``$USEG_CACHE`` or ``<work_dir>/cache``. Descriptors are saved per chunk of
images: a killed run resumes at the first missing chunk. With ``--launcher`` every rank computes
its share of the chunks and rank 0 searches.
"""
import argparse

from useg.apis import load_config
from useg.utils import init_distributed
from useg.neighbors.precompute import CHUNK_IMAGES, precompute_knn

from .dataset_pass_arguments import add_dataset_pass_arguments


def parse_args(argv=None):
    parser = add_dataset_pass_arguments(
        argparse.ArgumentParser(description='Precompute the KNN table of a config'), 'the table',
        batch_size_default=64, batch_size_help='images per feature batch')
    parser.add_argument('--chunk-size', type=int, default=1024, help='query rows per search block')
    parser.add_argument('--chunk-images', type=int, default=CHUNK_IMAGES,
                        help='images per resumable descriptor chunk')
    parser.add_argument('--precision', default='auto', choices=['auto', 'fp32', 'fp16', 'bf16'],
                        help='similarity matmul (half precision is re-checked in fp32)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options, args.work_dir)
    init_distributed(args.launcher)
    precompute_knn(cfg, args.batch_size, args.workers, args.device, args.chunk_size, args.force,
                   args.chunk_images, args.precision)
