"""Cache the frozen backbone features of a config's dataset split (float16, memory-mapped).

``python tools/extract_features.py CONFIG [--batch-size N] [--workers N] [--amp bf16|fp16]``

Reads ``cfg.feature_cache = dict(cache_dir=..., resolution=(H, W), split='train', pipeline=[...],
batch_size=8)``. The cache directory is ``cache_dir/<arch>-<key>``, the key hashing the backbone
arch, its weights, the resolution and the dataset config; an existing cache is reused.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402
from mmengine.config import DictAction  # noqa: E402

import useg  # noqa: E402,F401
from useg.apis import load_config, run_cli  # noqa: E402
from useg.features import extract_features  # noqa: E402

AMP_DTYPES = {'bf16': torch.bfloat16, 'fp16': torch.float16}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Cache backbone features of a dataset split')
    parser.add_argument('config')
    parser.add_argument('--batch-size', type=int, help='default: feature_cache.batch_size or 8')
    parser.add_argument('--workers', type=int, default=2, help='data loading processes')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--amp', choices=sorted(AMP_DTYPES), help='autocast dtype (CUDA)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    if not cfg.get('feature_cache'):
        raise SystemExit('error: the config defines no feature_cache settings')
    extract_features(cfg, args.batch_size, args.workers, args.device, AMP_DTYPES.get(args.amp))


if __name__ == '__main__':
    run_cli(main)
