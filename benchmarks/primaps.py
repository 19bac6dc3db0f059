"""Pseudo-label throughput of the batched PriMaPs labeler vs the per-image loop.

``python benchmarks/primaps.py [--tokens 40] [--channels 384] [--batch 8] [--image 320]``
prints images/s for both, with and without the CRF, on the CPU and on CUDA when present.
Features are synthetic scenes (random region prototypes + smooth ramp + noise).
"""
import argparse
import time

import torch

import useg  # noqa: F401
from useg.registry import PSEUDO_LABELERS


def synthetic_features(batch, channels, tokens, device, seed=0):
    """``(B, C, t, t)`` features of blocky scenes with 6 region prototypes."""
    generator = torch.Generator().manual_seed(seed)
    prototypes = torch.randn(6, channels, generator=generator)
    cells = -(-tokens // 8)
    layout = torch.randint(0, 6, (batch, cells, cells), generator=generator)
    regions = layout.repeat_interleave(8, 1).repeat_interleave(8, 2)[:, :tokens, :tokens]
    ramp = torch.linspace(-1, 1, tokens)[None, None, :, None]
    feats = prototypes[regions].permute(0, 3, 1, 2)
    feats = feats + ramp * torch.randn(1, channels, 1, 1, generator=generator)
    return (feats + 0.3 * torch.randn(feats.shape, generator=generator)).to(device)


def throughput(labeler, feats, images):
    start = time.perf_counter()
    labeler(feats, images)
    if feats.is_cuda:
        torch.cuda.synchronize()
    return len(feats) / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--tokens', type=int, default=40)
    parser.add_argument('--channels', type=int, default=384)
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--image', type=int, default=320)
    parser.add_argument('--crf-workers', type=int, default=None)
    args = parser.parse_args()
    devices = ['cpu'] + (['cuda'] if torch.cuda.is_available() else [])
    images = torch.randint(0, 256, (args.batch, args.image, args.image, 3), dtype=torch.uint8)
    print(f'{args.batch} images, {args.tokens}x{args.tokens} tokens, C={args.channels}, '
          f'{args.image}px, torch threads {torch.get_num_threads()}')
    for device in devices:
        feats = synthetic_features(args.batch, args.channels, args.tokens, device)
        for crf in (False, True):
            rates = {}
            for batched in (False, True):
                labeler = PSEUDO_LABELERS.build(dict(type='PriMaPsPseudoLabeler', threshold=0.4,
                                                     crf=crf, batched=batched,
                                                     crf_workers=args.crf_workers))
                torch.manual_seed(0)
                rates[batched] = throughput(labeler, feats, images)
            print(f'{device:4s} crf={crf!s:5s} per-image {rates[False]:7.2f} img/s   batched '
                  f'{rates[True]:7.2f} img/s   speed-up {rates[True] / rates[False]:5.1f}x')


if __name__ == '__main__':
    main()
