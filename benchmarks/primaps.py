"""PriMaPs pseudo labels per image: the reference's algorithm vs the default (batched) labeler.

``taskset -c 1 env OMP_NUM_THREADS=1 python benchmarks/primaps.py [--grids 40x384 23x768]
[--batch 8] [--kinds blocky smooth] [--repeats 3] [--no-crf]``

Baseline (:func:`reference_labels`): the reference's own per-image loop, restated — one
``torch.pca_lowrank(feat[:, mask].T, q=3, niter=100)`` per mask on the global stream after
``torch.manual_seed(0)``, einsum similarities, median filter / x10 / background / log-softmax,
then pydensecrf (:func:`useg.postprocess.dense_crf`, the reference's CRF settings), argmax,
0 -> 255. ``plugins/primaps/tests/test_benchmark_reference.py`` checks it gives the reference's
labels (useg's ``batched=False`` path). Candidate: ``PriMaPsPseudoLabeler()`` with its defaults
(pydensecrf on the CPU, serial).

Both run on the same batch in interleaved pairs, one thread; printed per image: median
[min-max] seconds of the proposals (everything before the CRF) and of the CRF, their sum, the
speed-up of the sums, and the fraction of pixels whose labels agree on the images outside the
reference's NaN case (a mask whose similarity maximum is 0: 0/0, documented deviation; their
[--batch 8] [--kinds blocky smooth] [--repeats 3] [--no-crf]``
stripes, noise; pydensecrf's cost depends on the image) at the reference's crops: 8 px per
token for 40x40 grids (320 px), 14 for 23x23 (322 px).
"""
import argparse
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F

import useg  # noqa: F401
from useg.datasets.synthetic import synthetic_scene
from useg.postprocess import dense_crf
from useg.registry import PSEUDO_LABELERS

THRESHOLD, COVERAGE, GAIN, IGNORE = 0.4, 0.95, 10.0, 255


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


def reference_proposals(feat):
    """The reference's mask loop for ``feat (C, h, w)`` -> ``(M + 1, h, w)`` log-probabilities
    (background first; NaN in the reference's 0/0 case), or None where the median filter removed
    every mask (all ignore)."""
    torch.manual_seed(0)
    unit = F.normalize(feat, dim=0)
    available = torch.ones(feat.shape[-2:], dtype=torch.bool)
    history, masks = [], []
    while (~available).sum() / available.numel() < COVERAGE:
        direction = torch.pca_lowrank(feat[:, available].permute(1, 0), q=3, niter=100)[2][:, 0]
        similarity = torch.einsum('c,cij->ij', direction, unit)
        similarity[~available] = 0
        anchor = unit[:, similarity == similarity.max()][:, 0]
        similarity = torch.einsum('c,cij->ij', anchor, unit)
        similarity[~available] = 0
        similarity[similarity < THRESHOLD * similarity.max()] = 0
        similarity = similarity / similarity.max()
        masks.append(similarity.clone())
        available[similarity > 0] = False
        history.insert(0, available.clone())
        if len(history) > 3:
            history.pop()
            if all(torch.equal(history[0], state) for state in history):
                break
    stacked = F.pad(torch.stack(masks)[None], (1, 1, 1, 1), mode='reflect')
    filtered = stacked.unfold(2, 3, 1).unfold(3, 3, 1).flatten(-2).median(-1).values[0]
    filtered = (filtered * GAIN).clamp(0, 1)
    if not filtered.any():
        return None
    background = (filtered[filtered != 0].mean() - filtered.sum(0)).clamp(0, 1)
    return torch.log_softmax(torch.cat([background[None], filtered]), dim=0)


def reference_labels(feat, image, crf=True, timings=None):
    """Reference pseudo label of one image: ``feat (C, h, w)``, ``image (H, W, 3)`` uint8 ->
    ``(H, W)`` uint8; ``timings`` (a dict) gets the seconds of the proposals and the CRF and,
    under ``'nan'``, one flag per image: the reference's 0/0 case."""
    start = time.perf_counter()
    log_probs = reference_proposals(feat)
    middle = time.perf_counter()
    if timings is not None:
        nan = log_probs is not None and bool(log_probs.isnan().any())
        timings.setdefault('nan', []).append(nan)
    if log_probs is None:
        labels = torch.full(tuple(image.shape[:2]), IGNORE, dtype=torch.long)
    elif crf:
        labels = torch.from_numpy(dense_crf(np.asarray(image), log_probs).argmax(0))
    else:
        labels = F.interpolate(log_probs[None], size=tuple(image.shape[:2]), mode='bilinear',
                               align_corners=False)[0].argmax(0)
    labels[labels == 0] = IGNORE
    if timings is not None:
        timings['proposals'] = timings.get('proposals', 0) + middle - start
        timings['crf'] = timings.get('crf', 0) + time.perf_counter() - middle
    return labels.clamp(max=IGNORE).to(torch.uint8)


def candidate_labels(labeler, feats, images, timings):
    """The default labeler on the batch, its proposals (labeler.proposals) timed apart."""
    proposals = labeler.proposals
    spent = {}

    def timed(batch):
        start = time.perf_counter()
        out = proposals(batch)
        spent['proposals'] = time.perf_counter() - start
        return out

    labeler.proposals = timed
    start = time.perf_counter()
    labels = labeler(feats, images)
    total = time.perf_counter() - start
    labeler.proposals = proposals
    timings['proposals'] = spent['proposals']
    timings['crf'] = total - spent['proposals']  # post-processing + CRF
    return labels


def summary(values):
    return f'{statistics.median(values):.3f} [{min(values):.3f}-{max(values):.3f}]'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--grids', nargs='+', default=['40x384', '23x768'],
                        help='TOKENSxCHANNELS feature grids')
    parser.add_argument('--batch', type=int, default=8)
    parser.add_argument('--kinds', nargs='+', default=list(FEATURES), choices=list(FEATURES))
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--no-crf', action='store_true')
    args = parser.parse_args()
    torch.set_num_threads(1)
    crf = not args.no_crf
    labeler = PSEUDO_LABELERS.build(dict(type='PriMaPsPseudoLabeler', crf=crf, crf_workers=0))
    print(f'batch {args.batch}, torch threads {torch.get_num_threads()}, CRF {crf}; '
          'seconds per image, median [min-max] of interleaved pairs')
    for grid in args.grids:
        tokens, channels = map(int, grid.split('x'))
        size = tokens * (8 if tokens % 8 == 0 else 14)
        rng = np.random.default_rng(0)
        images = torch.stack([torch.from_numpy(synthetic_scene(rng, (size, size), 27)[0])
                              for _ in range(args.batch)])
        for kind in args.kinds:
            feats = FEATURES[kind](args.batch, channels, tokens, 'cpu')
            runs = {'reference': [], 'default': []}
            for _ in range(args.repeats):
                timings = {}
                reference = torch.stack([reference_labels(feat, image, crf, timings)
                                         for feat, image in zip(feats, images)])
                runs['reference'].append(timings)
                timings = {}
                default = candidate_labels(labeler, feats, images, timings)
                runs['default'].append(timings)
            nan = torch.tensor(runs['reference'][0]['nan'])
            agreement = (reference[~nan] == default[~nan]).float().mean().item()
            per_image = {name: {part: [t[part] / args.batch for t in times]
                                for part in ('proposals', 'crf')}
                         for name, times in runs.items()}
            totals = {name: [p + c for p, c in zip(parts['proposals'], parts['crf'])]
                      for name, parts in per_image.items()}
            speed_ups = [r / d for r, d in zip(totals['reference'], totals['default'])]
            for name, parts in per_image.items():
                print(f'{tokens}x{tokens}x{channels} {kind:6s} {name:9s} proposals '
                      f'{summary(parts["proposals"])}  CRF {summary(parts["crf"])}  '
                      f'total {summary(totals[name])}')
            print(f'{tokens}x{tokens}x{channels} {kind:6s} speed-up {summary(speed_ups)}x  '
                  f'same label {100 * agreement:.2f} % ({int(nan.sum())} NaN-case images '
                  'left out)', flush=True)


if __name__ == '__main__':
    main()
