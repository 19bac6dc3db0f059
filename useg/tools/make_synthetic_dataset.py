"""Write a synthetic textured-scene dataset in the ImageFolderDataset layout.

    useg make-synthetic-data data/synthetic --num-train 16 --num-val 8
    useg make-synthetic-data data/paired --scenes paired --num-classes 6 --size 224 224
"""
import argparse

from useg.utils import run_cli
from useg.utils.errors import add_tool_flags


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog='useg make-synthetic-data', description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('out_dir', help='dataset root to write (imgs/, labels/)')
    parser.add_argument('--num-train', type=int, default=16)
    parser.add_argument('--num-val', type=int, default=8)
    parser.add_argument('--size', type=int, nargs=2, default=(96, 96), metavar=('H', 'W'))
    parser.add_argument('--num-classes', type=int, default=4)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--scenes', choices=['standard', 'paired'], default='standard',
                        help="'paired': class pairs share a colour and differ by texture only "
                             '(harder: colour cannot separate them)')
    parser.add_argument('--noise', type=float, default=None,
                        help="pixel noise std (default: the generator's, 8 standard / 10 paired)")
    add_tool_flags(parser)
    return parser.parse_args(argv)


def main(argv=None):
    from useg.datasets import make_synthetic_dataset
    args = parse_args(argv)
    make_synthetic_dataset(args.out_dir, num_train=args.num_train, num_val=args.num_val,
                           size=tuple(args.size), num_classes=args.num_classes, seed=args.seed,
                           scenes=args.scenes, noise=args.noise)
    print(f'wrote {args.num_train} train + {args.num_val} val scenes to {args.out_dir}')


if __name__ == '__main__':
    run_cli(main)
