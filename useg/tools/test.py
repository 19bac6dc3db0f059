"""Evaluate a checkpoint: ``python tools/test.py CONFIG CHECKPOINT [--show-dir DIR] [--out FILE]``."""
import argparse

from useg.apis import add_runner_arguments, load_runner_config, test


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
