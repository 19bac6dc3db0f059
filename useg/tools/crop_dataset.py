"""STEGO's five-crop preprocessing of a training split (resumable); the logic is
``useg.datasets.five_crop`` (``five_crop_boxes``, ``crop_split``), this tool parses arguments.

Crops of size ``(int(r*H), int(r*W))`` (r = ``--crop-ratio``, 0.5) go to
``OUT/{imgs,labels}/<split>/``. OUT defaults to ``DATA_ROOT/cropped/five_crop_<ratio>``, which the datasets read
with ``crop_dir='cropped/five_crop_0.5'``. Images whose five crops exist are skipped, so
an interrupted run resumes.

    python tools/crop_dataset.py CocoStuff27Dataset data/cocostuff --split train
    python tools/crop_dataset.py Cityscapes27Dataset data/cityscapes --split train
"""
import argparse
import os.path as osp

from useg.datasets.five_crop import crop_split
from useg.registry import DATASETS
from useg.utils.errors import add_tool_flags


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('dataset', help='dataset type, e.g. CocoStuff27Dataset')
    parser.add_argument('data_root', help='the dataset root (raw layout, docs/datasets.md)')
    parser.add_argument('--split', default='train')
    parser.add_argument('--crop-ratio', type=float, default=0.5)
    parser.add_argument('--out-dir', help='default: DATA_ROOT/cropped/five_crop_<ratio>')
    parser.add_argument('--num-classes', type=int, help='for ImageFolderDataset')
    add_tool_flags(parser)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    dataset_cfg = dict(type=args.dataset, data_root=args.data_root, split=args.split,
                       pipeline=[])
    if args.num_classes is not None:
        dataset_cfg['num_classes'] = args.num_classes
    dataset = DATASETS.build(dataset_cfg)
    if dataset.get_data_info(0)['img_path'].endswith('.mat'):
        raise SystemExit(f'{args.dataset} stores .mat tiles; the protocol uses it uncropped')
    out_dir = args.out_dir or osp.join(args.data_root, 'cropped',
                                       f'five_crop_{args.crop_ratio:g}')
    written, skipped = crop_split(dataset, out_dir, args.split, args.crop_ratio)
    print(f'{written} images cropped, {skipped} already done -> {out_dir}')
