"""Compute and cache pseudo labels of a config's training split.

``python tools/precompute_pseudo_labels.py CONFIG [--batch-size N] [--workers N]``

Reads ``cfg.pseudo_labels = dict(labeler=..., cache_dir=..., pipeline=[...], dataset=None)``; runs the
config's (frozen) backbone and the labeler over every image of the dataset (default: the training
dataset, with ``pipeline`` swapped in) and writes one PNG per image under ``cache_dir/<key>/``.
Interrupted runs resume where they stopped; a summary (images, masks per image, time) is printed
and stored next to the maps.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402
from mmengine.config import DictAction  # noqa: E402

import useg  # noqa: E402,F401
from useg.apis import load_config, run_cli  # noqa: E402
from useg.pseudo_labels import precompute_pseudo_labels  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Precompute the pseudo labels of a config')
    parser.add_argument('config')
    parser.add_argument('--batch-size', type=int, help='default: pseudo_labels.batch_size or 8')
    parser.add_argument('--workers', type=int, default=2, help='data loading processes')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    precompute_pseudo_labels(cfg, args.batch_size, args.workers, args.device)


if __name__ == '__main__':
    run_cli(main)
