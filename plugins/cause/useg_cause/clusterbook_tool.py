"""``useg precompute`` / ``tools/precompute_clusterbook.py``: train and cache the CAUSE concept
clusterbook (stage 1) of a config.

``python tools/precompute_clusterbook.py CONFIG [--work-dir DIR] [--workers N] [--device D]
[--amp] [--force]``

Reads ``cfg.clusterbook`` (see ``plugins/cause/useg_cause/clusterbook.py``: the logic lives there)
and writes ``<cache root>/cause_clusterbook/<key>/clusterbook.pt``; the cache root is
``$USEG_CACHE`` or ``<work_dir>/cache``. An interrupted run resumes from its last save; a finished
one is not recomputed (``--force`` redoes it). The CAUSE training configs stop with this command
when the file is missing. Stage 1 is sequential (one Adam step per batch): run it in one process.
"""
import argparse

import torch
from mmengine.config import DictAction

from useg.apis import load_config

from .clusterbook import precompute_clusterbook


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Precompute the CAUSE clusterbook of a config')
    parser.add_argument('config')
    parser.add_argument('--work-dir', help='the training work dir (its cache/ holds the file)')
    parser.add_argument('--workers', type=int, default=2, help='data loading processes')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--amp', action='store_true', help='fp16 autocast + GradScaler (reference)')
    parser.add_argument('--force', action='store_true', help='train it again')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options, args.work_dir)
    precompute_clusterbook(cfg, args.workers, args.device, args.amp, args.force)

