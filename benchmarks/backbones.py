"""Backbone forward throughput (images/s) and peak memory, fp32 vs autocast, per arch.

``python benchmarks/backbones.py`` runs the papers' settings (CUDA when present);
``python benchmarks/backbones.py --quick`` runs small CPU-friendly settings.
Weights are random (the speed does not depend on them); backbones are frozen (no grad).
"""
import argparse
import os
import resource
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

import useg  # noqa: E402,F401
from useg.models.backbones import DINOViT, TorchvisionResNet  # noqa: E402

# (name, builder, input side, batch size) as the papers train them.
PAPER_SETTINGS = [
    ('dino_vits8', lambda: DINOViT('dino_vits8'), 224, 32),        # STEGO / SmooSeg
    ('dino_vitb8', lambda: DINOViT('dino_vitb8'), 224, 32),        # STEGO Potsdam
    ('dino_vits8', lambda: DINOViT('dino_vits8'), 320, 32),        # PriMaPs
    ('dino_vitb8', lambda: DINOViT('dino_vitb8'), 320, 32),        # PriMaPs
    ('dinov2_vits14', lambda: DINOViT('dinov2_vits14'), 322, 32),  # PriMaPs
    ('dinov2_vitb14', lambda: DINOViT('dinov2_vitb14'), 322, 32),  # PriMaPs
    ('resnet50_os8', lambda: TorchvisionResNet(depth=50, strides=(1, 2, 1, 1),
                                               dilations=(1, 1, 2, 4), frozen=True), 512, 8),
]
QUICK_SETTINGS = [
    ('vit_tiny_p8', lambda: DINOViT('vit_tiny_p8'), 224, 4),
    ('dino_vits16', lambda: DINOViT('dino_vits16'), 224, 2),
    ('dino_vits8', lambda: DINOViT('dino_vits8'), 224, 1),
    ('dinov2_vits14', lambda: DINOViT('dinov2_vits14'), 322, 1),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--quick', action='store_true', help='small CPU-friendly settings')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--iters', type=int, help='timed iterations (default 20 CUDA, 3 CPU)')
    parser.add_argument('--batch-size', type=int, help='override every batch size')
    parser.add_argument('--amp-dtype', choices=['bf16', 'fp16'], default='bf16')
    return parser.parse_args(argv)


def peak_memory_mb(device):
    if device.type == 'cuda':
        return torch.cuda.max_memory_allocated(device) / 2 ** 20
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # process-wide RSS


def measure(backbone, images, iters, amp_dtype):
    """Images per second and peak memory (MB) of ``iters`` forwards after one warm-up."""
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
    seconds = time.perf_counter() - start
    return iters * len(images) / seconds, peak_memory_mb(device)


def main(argv=None):
    args = parse_args(argv)
    device = torch.device(args.device)
    iters = args.iters or (20 if device.type == 'cuda' else 3)
    amp_dtype = dict(bf16=torch.bfloat16, fp16=torch.float16)[args.amp_dtype]
    settings = QUICK_SETTINGS if args.quick else PAPER_SETTINGS
    device_name = torch.cuda.get_device_name(device) if device.type == 'cuda' else 'CPU'
    print(f'device={device} ({device_name}'
          f', {torch.get_num_threads()} threads), iters={iters}, amp={args.amp_dtype}')
    print(f'{"arch":<15}{"input":>7}{"batch":>7}{"fp32 img/s":>12}{"fp32 MB":>10}'
          f'{"amp img/s":>12}{"amp MB":>10}')
    for name, build, side, batch in settings:
        batch = args.batch_size or batch
        backbone = build().to(device).eval()
        images = torch.randn(batch, 3, side, side, device=device)
        fp32 = measure(backbone, images, iters, None)
        amp = measure(backbone, images, iters, amp_dtype)
        print(f'{name:<15}{side:>7}{batch:>7}{fp32[0]:>12.2f}{fp32[1]:>10.0f}'
              f'{amp[0]:>12.2f}{amp[1]:>10.0f}')
        del backbone, images
        if device.type == 'cuda':
            torch.cuda.empty_cache()


if __name__ == '__main__':
    main()
