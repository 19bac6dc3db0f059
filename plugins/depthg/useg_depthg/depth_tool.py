"""``useg precompute CONFIG`` step of DepthG configs: write the training images' depth maps.

``python -m useg_depthg.depth_tool CONFIG [--work-dir DIR] [--device D] [--force]``
(see :mod:`useg_depthg.depth_maps`).
"""
import argparse

import torch
from mmengine.config import DictAction

from useg.apis import load_config
from useg.utils import run_cli
from .depth_maps import precompute_config_depth


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Precompute the depth maps of a DepthG config')
    parser.add_argument('config')
    parser.add_argument('--work-dir')
    parser.add_argument('--workers', type=int, default=2)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--force', action='store_true', help='write every depth map again')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args, _ = parser.parse_known_args(argv)
    return args


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options, args.work_dir)
    written = precompute_config_depth(cfg, args.workers, args.device, args.force)
    print(f'depth maps written: {len(written)}')


if __name__ == '__main__':
    run_cli(main)
