"""Depth maps of a list of images from a local Hugging Face ``transformers`` depth model.

``python -m useg_depthg.precompute --model-dir DIR --out-dir DIR [--image-root DIR] IMAGE ...``
writes one 8-bit PNG per image (0 = nearest, 255 = farthest); nothing is downloaded.
"""
import argparse
import os
import os.path as osp

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from useg.utils import UsegError, run_cli
from .depth_io import depth_to_uint8

KINDS = ('auto', 'depth', 'disparity')
METRIC_MODEL_TYPES = ('zoedepth',)
SIXTEEN_BIT_MODES = ('I', 'I;16', 'I;16B', 'I;16L')


def _transformers():
    try:
        from transformers import AutoImageProcessor, AutoModelForDepthEstimation
    except ImportError:
        raise UsegError('depth precompute needs transformers: pip install "useg-depthg[depth]" '
                        '(or pip install transformers)') from None
    return AutoImageProcessor, AutoModelForDepthEstimation


def depth_output_path(image_path, out_dir, image_root=None, suffix='.png'):
    """``<out_dir>/<image path relative to image_root, or its file name>`` with ``suffix``."""
    relative = osp.relpath(image_path, image_root) if image_root else osp.basename(image_path)
    return osp.join(out_dir, osp.splitext(relative)[0] + suffix)


def read_rgb(path):
    """An image file as an RGB PIL image: greyscale repeated, alpha dropped, 16-bit greyscale
    scaled to 8 bits (as OpenCV's colour read of the training pipeline does)."""
    image = Image.open(path)
    if image.mode in SIXTEEN_BIT_MODES:
        image = Image.fromarray(np.minimum(np.asarray(image).astype(np.uint32) >> 8, 255)
                                .astype(np.uint8), 'L')
    return image.convert('RGB')


def _predict(model, processor, images, device):
    """``predicted_depth`` ``(B, h, w)`` float32 of equal-size ``images`` (one processor batch)."""
    batch = processor(images=images, return_tensors='pt').to(device)
    with torch.no_grad():
        return model(**batch).predicted_depth.float()


def model_kind(model):
    """``'depth'`` for metric (ZoeDepth-type) models, ``'disparity'`` for relative inverse depth."""
    return 'depth' if model.config.model_type in METRIC_MODEL_TYPES else 'disparity'


def precompute_depth_maps(image_paths, out_dir, model_dir, image_root=None, device='cpu', kind='auto',
                          batch_size=1):
    """Run the depth model in ``model_dir`` on every image and write ``depth_to_uint8`` PNGs.

    The prediction is resized bilinearly to each image's own size; a batch whose images differ in
    size goes through the model one image at a time. ``kind='auto'`` treats ZoeDepth models
    as metric depth and the others (DPT, Depth Anything) as disparity. Returns the written paths.
    """
    if kind not in KINDS:
        raise ValueError(f'kind must be one of {KINDS}, got {kind!r}')
    image_processor_cls, model_cls = _transformers()
    processor = image_processor_cls.from_pretrained(model_dir, local_files_only=True)
    model = model_cls.from_pretrained(model_dir, local_files_only=True, use_kernels=False)
    model = model.to(device).eval()
    kind = model_kind(model) if kind == 'auto' else kind
    image_paths = list(image_paths)
    written = []
    for first in range(0, len(image_paths), int(batch_size)):
        paths = image_paths[first:first + int(batch_size)]
        images = [read_rgb(path) for path in paths]
        sizes = {image.size for image in images}
        predicted = [depth for group in ([images] if len(sizes) == 1 else [[image] for image in images])
                     for depth in _predict(model, processor, group, device)]
        for path, image, depth in zip(paths, images, predicted):
            depth = F.interpolate(depth.reshape(1, 1, *depth.shape[-2:]), size=image.size[::-1],
                                  mode='bilinear', align_corners=False)[0, 0]
            target = depth_output_path(path, out_dir, image_root)
            os.makedirs(osp.dirname(target) or '.', exist_ok=True)
            Image.fromarray(depth_to_uint8(depth.cpu(), kind)).save(target)
            written.append(target)
    return written


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('images', nargs='+', help='image files')
    parser.add_argument('--model-dir', required=True, help='local transformers depth model folder')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--image-root', help='mirror the image tree below this folder')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--kind', default='auto', choices=KINDS)
    parser.add_argument('--batch-size', type=int, default=1)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    written = precompute_depth_maps(args.images, args.out_dir, args.model_dir, args.image_root,
                                    args.device, args.kind, args.batch_size)
    print(f'wrote {len(written)} depth maps to {args.out_dir}')


if __name__ == '__main__':
    run_cli(main)
