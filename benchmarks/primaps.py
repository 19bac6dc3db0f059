"""Pseudo-label throughput of the PriMaPs labeler: the reference-style per-image loop vs batched.

``python benchmarks/primaps.py [--tokens 40] [--channels 384] [--batch 4] [--image 160]
[--kinds blocky smooth] [--device cpu cuda] [--threads N]``
prints images/s of the per-image ``pca_lowrank`` loop (``batched=False``, run with the ambient
thread setting as the reference runs it) and of the batched labeler (the default: uncovered rows
only, Gram-matrix subspace iteration, one intra-op thread on the CPU), with and without the CRF,
their speed-up and the fraction of pixels on which the two maps agree, next to the agreement of
the per-image loop with itself under another random seed (``pca_lowrank``'s random start decides
the principal direction's sign where the top singular values are close; the two paths draw
different starts, so they cannot agree more than that). Feature kinds: ``blocky``
(random region prototypes on 8x8-token cells + smooth ramp + noise) and ``smooth`` (low-pass
random features, the spec's hard case for the PCA sign).
"""
import argparse
import time

import torch
import torch.nn.functional as F

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


def smooth_features(batch, channels, tokens, device, seed=0):
    """``(B, C, t, t)`` low-pass random features (bilinearly upsampled 6x6 noise + noise)."""
    generator = torch.Generator().manual_seed(seed)
    coarse = torch.randn(batch, channels, 6, 6, generator=generator)
    feats = F.interpolate(coarse, size=(tokens, tokens), mode='bilinear', align_corners=False)
    return (feats + 0.1 * torch.randn(feats.shape, generator=generator)).to(device)


FEATURES = dict(blocky=synthetic_features, smooth=smooth_features)


def run(labeler, feats, images, seed=0):
    torch.manual_seed(seed)
    start = time.perf_counter()
    labels = labeler(feats, images)
    if feats.is_cuda:
        torch.cuda.synchronize()
    return labels, len(feats) / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--tokens', type=int, default=40)
    parser.add_argument('--channels', type=int, default=384)
    parser.add_argument('--batch', type=int, default=4)
    parser.add_argument('--image', type=int, default=160)
    parser.add_argument('--kinds', nargs='+', default=list(FEATURES), choices=list(FEATURES))
    parser.add_argument('--device', nargs='+', default=['cpu'] + (
        ['cuda'] if torch.cuda.is_available() else []), choices=['cpu', 'cuda'])
    parser.add_argument('--threads', type=int, default=None,
                        help='torch intra-op threads for the whole run (default: unchanged)')
    parser.add_argument('--crf-backend', default='auto', choices=['auto', 'torch', 'pydensecrf'])
    parser.add_argument('--crf-workers', type=int, default=0)
    parser.add_argument('--no-crf', action='store_true', help='only the runs without CRF')
    args = parser.parse_args()
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    images = torch.randint(0, 256, (args.batch, args.image, args.image, 3), dtype=torch.uint8)
    print(f'{args.batch} images, {args.tokens}x{args.tokens} tokens, C={args.channels}, '
          f'{args.image}px, torch threads {torch.get_num_threads()}, CRF {args.crf_backend}')
    for device in args.device:
        for kind in args.kinds:
            feats = FEATURES[kind](args.batch, args.channels, args.tokens, device)
            for crf in (False,) if args.no_crf else (False, True):
                common = dict(type='PriMaPsPseudoLabeler', threshold=0.4, crf=crf,
                              crf_backend=args.crf_backend, crf_workers=args.crf_workers)
                reference, reference_rate = run(PSEUDO_LABELERS.build(
                    dict(common, batched=False, cpu_threads=None)), feats, images)
                batched, rate = run(PSEUDO_LABELERS.build(common), feats, images)
                reseeded, _ = run(PSEUDO_LABELERS.build(dict(common, batched=False)), feats,
                                  images, seed=1)
                agreement = (reference == batched).float().mean().item()
                baseline = (reference == reseeded).float().mean().item()
                print(f'{device:4s} {kind:6s} crf={crf!s:5s} per-image {reference_rate:7.3f} img/s'
                      f'   batched {rate:7.3f} img/s   speed-up {rate / reference_rate:6.2f}x'
                      f'   same label {100 * agreement:6.2f} % (per-image, other seed: '
                      f'{100 * baseline:6.2f} %)')


if __name__ == '__main__':
    main()
