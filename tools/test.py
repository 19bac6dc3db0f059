"""Evaluate a checkpoint: ``python tools/test.py CONFIG CHECKPOINT [--show-dir DIR] [--out FILE]``."""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import useg  # noqa: E402,F401  (mmcv.ops stand-in before mmseg)
from useg.apis import add_runner_arguments, load_runner_config, run_cli, test  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Evaluate an unsupervised segmentation model')
    parser.add_argument('config', help='config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='directory for the evaluation logs')
    parser.add_argument('--out', help='write the metrics (JSON) to this file')
    parser.add_argument('--show-dir', help='write overlays (image | ground truth | matched prediction) here')
    add_runner_arguments(parser, 'model.test_cfg.crf=True')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_runner_config(args)
    test(cfg, args.checkpoint, out=args.out, show_dir=args.show_dir)


if __name__ == '__main__':
    run_cli(main)
