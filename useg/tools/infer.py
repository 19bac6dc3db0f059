"""Segment images: ``python tools/infer.py CONFIG CHECKPOINT IMAGES... --out-dir DIR``.

Writes ``<name>.png`` (cluster ids) and ``<name>_overlay.png`` for every image (``<name>_<ext>``
when two images share a name), and ``<name>_crf.png`` / ``<name>_crf_overlay.png`` when the
config's ``test_cfg.crf`` computes the CRF; ``--out-dir`` may not be, or contain, an input folder.
"""
import argparse

from useg.apis import init_segmentor, segment_images
from useg.apis.inference import MAX_SIDE
from useg.apis.config import add_tool_flags
from useg.utils.errors import apply_tool_flags


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Segment a folder or list of images')
    parser.add_argument('config', help='config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('images', nargs='+', help='image files or folders')
    parser.add_argument('--out-dir', required=True,
                        help='output folder (not an input folder nor one containing it)')
    parser.add_argument('--short-side', type=int, default=None,
                        help='resize so the shorter side is this before predicting '
                             '(default: the original size)')
    parser.add_argument('--max-side', type=int, default=MAX_SIDE,
                        help='shrink images whose longer side exceeds this before predicting, '
                             f'to bound memory (default: {MAX_SIDE}; 0: never); the maps keep '
                             'the image size')
    parser.add_argument('--skip-bad', action='store_true',
                        help='warn about unreadable images and go on (default: stop)')
    parser.add_argument('--device', default='cuda' if _cuda() else 'cpu')
    add_tool_flags(parser)
    return parser.parse_args(argv)


def _cuda():
    import torch
    return torch.cuda.is_available()


def main(argv=None):
    args = parse_args(argv)
    apply_tool_flags(args.debug, args.threads)
    model = init_segmentor(args.config, args.checkpoint, device=args.device)
    written = segment_images(model, args.images, args.out_dir, short_side=args.short_side,
                             skip_bad=args.skip_bad, max_side=args.max_side or None)
    print(f'wrote {len(written)} label maps and overlays to {args.out_dir}')
