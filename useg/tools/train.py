"""Train a useg config: ``python tools/train.py CONFIG [--work-dir DIR] [--resume] [--amp]``."""
import argparse

from useg.apis import add_runner_arguments, enable_amp, load_runner_config, train


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Train an unsupervised segmentation model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='directory for logs and checkpoints')
    parser.add_argument('--resume', action='store_true',
                        help='resume from the latest checkpoint in the work dir (fresh start if none)')
    parser.add_argument('--amp', action='store_true',
                        help='mixed precision (bf16 where the GPU supports it, else fp16)')
    add_runner_arguments(parser, 'train_cfg.max_iters=100')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_runner_config(args)
    if args.amp:
        enable_amp(cfg)
    train(cfg, resume=args.resume, config_path=args.config)
