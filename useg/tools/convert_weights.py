"""Convert a published backbone checkpoint once into a plain useg weight file.

``python tools/convert_weights.py SRC DST --arch dino_vitb8`` (ViT archs of DINOViT) or
``--arch resnet50`` (TorchvisionResNet; MoCo ``.pth.tar`` / torchvision files).

Useful for large training checkpoints (DINO ``*_full_checkpoint.pth`` with ``--allow-pickle``,
MoCo ``.pth.tar`` with optimiser state): DST holds only the backbone's tensors under useg's names
(``{'state_dict': ..., 'meta': ...}``), is checked strictly against the arch, and loads with
``init_cfg=dict(type='Pretrained', checkpoint=DST)``.
"""
import argparse
import os

import torch

from useg.models.backbones import (
    DINOViT, TorchvisionResNet, convert_resnet_state_dict, load_state_dict_strictly,
    read_checkpoint)
from useg.utils.cache import file_digest
from useg.utils.errors import add_tool_flags

RESNET_ARCHS = {f'resnet{depth}': depth for depth in (18, 34, 50, 101, 152)}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='Convert a backbone checkpoint to useg names')
    parser.add_argument('src', help='published checkpoint file')
    parser.add_argument('dst', help='output file (.pth)')
    parser.add_argument('--arch', required=True,
                        help='a DINOViT arch (dino_vits8, dinov2_vitb14, dinov3_vitb16, ...) '
                             'or resnet50, ...')
    parser.add_argument('--allow-pickle', action='store_true',
                        help='read files that pickle Python objects (trusted sources only)')
    add_tool_flags(parser)
    return parser.parse_args(argv)


def convert(src, dst, arch, allow_pickle=False):
    """Convert ``src`` for ``arch``, verify it strictly and save it to ``dst``."""
    checkpoint = read_checkpoint(src, allow_pickle=allow_pickle)
    if arch in RESNET_ARCHS:
        model = TorchvisionResNet(depth=RESNET_ARCHS[arch])
        state_dict = convert_resnet_state_dict(checkpoint)
        target = model
    else:
        model = DINOViT(arch)
        state_dict = model.convert_weights(checkpoint)  # DINO / DINOv2 / DINOv3 layouts
        target = model.encoder
    load_state_dict_strictly(target, state_dict, f'{src} (arch {arch!r})')
    meta = dict(arch=arch, source=os.path.basename(src), source_sha1=file_digest(src))
    torch.save(dict(state_dict=state_dict, meta=meta), dst)
    print(f'{src} -> {dst}: {len(state_dict)} tensors for {arch}')


def main(argv=None):
    args = parse_args(argv)
    convert(args.src, args.dst, args.arch, args.allow_pickle)
