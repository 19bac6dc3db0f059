"""Compute and cache pseudo labels of a config's training split.

``python tools/precompute_pseudo_labels.py CONFIG [--work-dir DIR] [--batch-size N] [--workers N]
[--force] [--launcher pytorch]``

Reads ``cfg.pseudo_labels = dict(labeler=..., cache_dir=..., pipeline=[...], dataset=None)``; runs the
config's (frozen) backbone (or reads ``tools/extract_features.py``'s cache of the same pass) and the
labeler over every image of the dataset (default: the training dataset, with ``pipeline`` swapped
in) and writes one PNG per image under ``<cache_dir>/<key>/``; a relative ``cache_dir`` lives under
``$USEG_CACHE`` or ``<work_dir>/cache``. The key covers the labeler, backbone, pipeline, dataset,
its ordered image list and ``randomness.seed``; each batch is seeded with ``seed + first index``, so
runs are reproducible. Interrupted runs resume where they stopped; a summary is printed and stored
next to the maps. With ``--launcher`` the batches are split across ranks.
"""
import argparse

from useg.apis import load_config
from useg.utils import init_distributed
from useg.pseudo_labels import precompute_pseudo_labels

from .dataset_pass_arguments import add_dataset_pass_arguments


def parse_args(argv=None):
    parser = add_dataset_pass_arguments(
        argparse.ArgumentParser(description='Precompute the pseudo labels of a config'),
        'the maps', batch_size_help='default: pseudo_labels.batch_size or 8')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options, args.work_dir)
    init_distributed(args.launcher)
    precompute_pseudo_labels(cfg, args.batch_size, args.workers, args.device, args.force)
