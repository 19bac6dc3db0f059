"""Train and cache the CAUSE concept clusterbook (stage 1) of a config.

``python tools/precompute_clusterbook.py CONFIG [--batch-size N] [--workers N] [--device D] [--amp]``

Reads ``cfg.clusterbook = dict(cache_dir=..., pipeline=[...], num_codebook=2048, ...)`` (see
``plugins/cause/useg_cause/clusterbook.py``); trains the prototypes for ``epochs`` epochs of the
training set with the modularity objective on grid-sampled frozen backbone tokens and writes
``cache_dir/<arch>-<key>/clusterbook.pt``. An interrupted run resumes from its last save; a
finished one is not recomputed. The CAUSE training configs stop with this command when the file
is missing.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402
from mmengine.config import DictAction  # noqa: E402

import useg  # noqa: E402,F401
from useg.apis import load_config, run_cli  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Precompute the CAUSE clusterbook of a config')
    parser.add_argument('config')
    parser.add_argument('--batch-size', type=int, help='default: clusterbook.batch_size (16)')
    parser.add_argument('--workers', type=int, default=2, help='data loading processes')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--amp', action='store_true', help='fp16 autocast + GradScaler (reference)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    from useg_cause import precompute_clusterbook
    precompute_clusterbook(cfg, args.batch_size, args.workers, args.device, args.amp)


if __name__ == '__main__':
    run_cli(main)
