"""Write a synthetic textured-scene dataset in the ImageFolderDataset layout.

    python tools/make_synthetic_dataset.py data/synthetic --num-train 16 --num-val 8
    python tools/make_synthetic_dataset.py data/paired --scenes paired --num-classes 6 \
        --size 224 224
"""
import argparse
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

from useg.datasets import make_synthetic_dataset  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__,
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
    return parser.parse_args()


def main():
    args = parse_args()
    make_synthetic_dataset(args.out_dir, num_train=args.num_train, num_val=args.num_val,
                           size=tuple(args.size), num_classes=args.num_classes, seed=args.seed,
                           scenes=args.scenes, noise=args.noise)
    print(f'wrote {args.num_train} train + {args.num_val} val scenes to {args.out_dir}')


if __name__ == '__main__':
    main()
