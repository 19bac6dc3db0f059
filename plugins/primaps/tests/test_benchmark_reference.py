"""benchmarks/primaps.py's baseline is the reference: its per-image labels equal those of
useg's restatement of the reference loop (``batched=False``), with and without the CRF."""

import numpy as np
import torch

import useg  # noqa: F401
from useg.datasets.synthetic import synthetic_scene
from useg.registry import PSEUDO_LABELERS
from useg.testing import load_script


def load_benchmark():
    return load_script('benchmarks', 'primaps.py')


def test_benchmark_baseline_gives_the_reference_labels():
    benchmark = load_benchmark()
    feats = torch.cat([benchmark.synthetic_features(2, 48, 16, 'cpu'),
                       benchmark.smooth_features(2, 48, 16, 'cpu')])
    rng = np.random.default_rng(0)
    images = torch.stack([torch.from_numpy(synthetic_scene(rng, (64, 64), 27)[0])
                          for _ in range(len(feats))])
    for crf in (False, True):
        reference = PSEUDO_LABELERS.build(dict(type='PriMaPsPseudoLabeler', crf=crf,
                                               batched=False, crf_backend='pydensecrf',
                                               crf_workers=0))(feats, images)
        timings = {}
        baseline = torch.stack([benchmark.reference_labels(feat, image, crf, timings)
                                for feat, image in zip(feats, images)])
        assert not any(timings['nan'])
        assert (reference != 255).any()
        assert torch.equal(baseline, reference)
