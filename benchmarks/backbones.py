"""Backbone forward throughput (images/s), peak memory and achieved TFLOP/s, fp32 vs autocast.

``python benchmarks/backbones.py`` runs the full table on CUDA (papers' settings, DINOv3 at 320 px
for batch 1 and 16) and small CPU-friendly settings on a machine without CUDA; ``--full`` /
``--quick`` force either. ``--peak-tflops`` (the device's dense peak for the autocast dtype, e.g.
989 for H100 / H200 SXM bf16) adds the fraction of it achieved. FLOPs are counted once per
setting with ``torch.utils.flop_counter`` (matmuls, convolutions, attention; 1 multiply-add = 2).
Weights are random (speed does not depend on them); backbones are frozen (no grad).
"""
import argparse
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402
from torch.utils.flop_counter import FlopCounterMode  # noqa: E402

import useg  # noqa: E402,F401
from useg.models.backbones import DINOViT, FilterBankBackbone, TorchvisionResNet  # noqa: E402


def vit(arch):
    return lambda: DINOViT(arch)


DINOV3 = ['dinov3_vits16', 'dinov3_vitsp16', 'dinov3_vitb16', 'dinov3_vitl16', 'dinov3_vith16plus']
# (name, builder, input side, batch size)
FULL_SETTINGS = [
    ('dino_vits8', vit('dino_vits8'), 224, 32),        # STEGO / SmooSeg
    ('dino_vitb8', vit('dino_vitb8'), 224, 32),        # STEGO Potsdam
    ('dino_vits8', vit('dino_vits8'), 320, 32),        # PriMaPs
    ('dino_vitb8', vit('dino_vitb8'), 320, 32),        # PriMaPs
    ('dinov2_vits14', vit('dinov2_vits14'), 322, 32),  # PriMaPs
    ('dinov2_vitb14', vit('dinov2_vitb14'), 322, 32),  # PriMaPs
    ('resnet50_os8', lambda: TorchvisionResNet(depth=50, strides=(1, 2, 1, 1),
                                               dilations=(1, 1, 2, 4), frozen=True), 512, 8),
    ('filter_bank', FilterBankBackbone, 320, 16),
] + [(arch, vit(arch), 320, batch) for arch in DINOV3 for batch in (1, 16)]
QUICK_SETTINGS = [
    ('vit_tiny_p8', vit('vit_tiny_p8'), 224, 4),
    ('vit_tiny_dinov3', vit('vit_tiny_dinov3'), 320, 4),
    ('filter_bank', FilterBankBackbone, 320, 4),
    ('dino_vits16', vit('dino_vits16'), 224, 2),
    ('dino_vits8', vit('dino_vits8'), 224, 1),
    ('dinov2_vits14', vit('dinov2_vits14'), 322, 1),
    ('dinov3_vits16', vit('dinov3_vits16'), 320, 1),
    ('dinov3_vitb16', vit('dinov3_vitb16'), 320, 1),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    size = parser.add_mutually_exclusive_group()
    size.add_argument('--quick', action='store_true', help='small CPU-friendly settings')
    size.add_argument('--full', action='store_true', help='papers\' settings + DINOv3')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--iters', type=int, help='timed iterations (default 20 CUDA, 3 CPU)')
    parser.add_argument('--batch-size', type=int, help='override every batch size')
    parser.add_argument('--amp-dtype', choices=['bf16', 'fp16'], default='bf16')
    parser.add_argument('--peak-tflops', type=float,
                        help='device peak TFLOP/s for the autocast dtype (adds % of peak)')
    parser.add_argument('--only', nargs='+', help='only these backbone names')
    return parser.parse_args(argv)


def peak_memory_mb(device):
    if device.type == 'cuda':
        return torch.cuda.max_memory_allocated(device) / 2 ** 20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # process-wide RSS


def count_flops(backbone, images):
    """FLOPs of one forward of ``images`` (2 per multiply-add)."""
    counter = FlopCounterMode(display=False)
    with counter, torch.no_grad():
        backbone(images)
    return counter.get_total_flops()


def measure(backbone, images, iters, amp_dtype):
    """Images per second, peak memory (MB) and seconds per batch of ``iters`` forwards after one
    warm-up."""
    device = images.device
    autocast = torch.autocast(device.type, dtype=amp_dtype, enabled=amp_dtype is not None)
    if device.type == 'cuda':
        torch.cuda.reset_peak_memory_stats(device)
    with autocast, torch.no_grad():
        backbone(images)
        if device.type == 'cuda':
            torch.cuda.synchronize(device)
        start = time.perf_counter()
        for _ in range(iters):
            backbone(images)
        if device.type == 'cuda':
            torch.cuda.synchronize(device)
    seconds = (time.perf_counter() - start) / iters
    return len(images) / seconds, peak_memory_mb(device), seconds


def main(argv=None):
    args = parse_args(argv)
    device = torch.device(args.device)
    iters = args.iters or (20 if device.type == 'cuda' else 3)
    amp_dtype = dict(bf16=torch.bfloat16, fp16=torch.float16)[args.amp_dtype]
    quick = args.quick or (not args.full and device.type != 'cuda')
    settings = [setting for setting in (QUICK_SETTINGS if quick else FULL_SETTINGS)
                if not args.only or setting[0] in args.only]
    device_name = torch.cuda.get_device_name(device) if device.type == 'cuda' else 'CPU'
    print(f'device={device} ({device_name}, {torch.get_num_threads()} threads), iters={iters}, '
          f'amp={args.amp_dtype}, settings={"quick" if quick else "full"}'
          + (f', peak {args.peak_tflops} TFLOP/s' if args.peak_tflops else ''))
    header = (f'{"backbone":<18}{"input":>6}{"batch":>6}{"GFLOP/img":>10}{"fp32 img/s":>11}'
              f'{"fp32 MB":>9}{"fp32 TF/s":>10}{"amp img/s":>10}{"amp MB":>8}{"amp TF/s":>9}')
    print(header + (f'{"% peak":>8}' if args.peak_tflops else ''))
    for name, build, side, batch in settings:
        batch = args.batch_size or batch
        backbone = build().to(device)
        backbone.eval()
        images = torch.randn(batch, 3, side, side, device=device)
        flops = count_flops(backbone, images[:1]) * batch
        fp32 = measure(backbone, images, iters, None)
        amp = measure(backbone, images, iters, amp_dtype)
        fp32_tflops, amp_tflops = (flops / result[2] / 1e12 for result in (fp32, amp))
        line = (f'{name:<18}{side:>6}{batch:>6}{flops / batch / 1e9:>10.2f}{fp32[0]:>11.2f}'
                f'{fp32[1]:>9.0f}{fp32_tflops:>10.3f}{amp[0]:>10.2f}{amp[1]:>8.0f}'
                f'{amp_tflops:>9.3f}')
        if args.peak_tflops:
            line += f'{100 * amp_tflops / args.peak_tflops:>8.1f}'
        print(line, flush=True)
        del backbone, images
        if device.type == 'cuda':
            torch.cuda.empty_cache()


if __name__ == '__main__':
    main()
