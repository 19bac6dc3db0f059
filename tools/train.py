"""Train a useg config: ``python tools/train.py CONFIG [--work-dir DIR] [--resume] [--amp]``."""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from mmengine.config import DictAction  # noqa: E402

import useg  # noqa: E402,F401  (mmcv.ops stand-in before mmseg)
from useg.apis import enable_amp, load_config, run_cli, train  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train an unsupervised segmentation model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='directory for logs and checkpoints')
    parser.add_argument('--resume', action='store_true',
                        help='resume from the latest checkpoint in the work dir (fresh start if none)')
    parser.add_argument('--amp', action='store_true',
                        help='mixed precision (bf16 where the GPU supports it, else fp16)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config entries, e.g. train_cfg.max_iters=100')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none',
                        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options, args.work_dir)
    cfg.launcher = args.launcher
    if args.amp:
        enable_amp(cfg)
    train(cfg, resume=args.resume, config_path=args.config)


if __name__ == '__main__':
    run_cli(main)
