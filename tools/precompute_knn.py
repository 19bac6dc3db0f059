"""Compute and cache the KNN table a STEGO-style config trains with.

``python tools/precompute_knn.py CONFIG [--batch-size N] [--workers N] [--device cuda] [--force]``

The config's training set must be a ``KNNPairDataset`` whose ``knn = dict(cache_dir, backbone,
topk=30, pipeline=None)`` says where the table goes and which backbone describes the images. Every
image is passed through that backbone (eval mode), its features are average-pooled and
L2-normalised, and the top-``topk`` cosine neighbours of every image (itself first) are searched in
chunks (memory O(N * topk), never the N x N matrix) and saved as ``cache_dir/knn_<key>.npz``; the key
covers the backbone and its weights, the dataset and its pipeline (resolution, crop) and ``topk``.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402
from mmengine.config import DictAction  # noqa: E402

import useg  # noqa: E402,F401  (mmcv.ops stand-in before mmseg)
from useg.apis import load_config, run_cli  # noqa: E402
from useg.neighbors.precompute import precompute_knn  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Precompute the KNN table of a config')
    parser.add_argument('config')
    parser.add_argument('--batch-size', type=int, default=64, help='images per feature batch')
    parser.add_argument('--workers', type=int, default=2, help='data loading processes')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--chunk-size', type=int, default=1024, help='query rows per search block')
    parser.add_argument('--force', action='store_true', help='recompute an existing table')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    precompute_knn(cfg, args.batch_size, args.workers, args.device, args.chunk_size, args.force)


if __name__ == '__main__':
    run_cli(main)
