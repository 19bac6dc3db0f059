"""The ``clusterbook`` precompute step (``useg precompute CONFIG``): CAUSE's stage-1 clusterbook.

Reads ``cfg.clusterbook`` (see :mod:`useg_cause.clusterbook`) and writes
``<cache root>/cause_clusterbook/<key>/clusterbook.pt``; an interrupted run resumes from its last
save, a finished one is not recomputed (``--force`` redoes it). Stage 1 is sequential (one Adam
step per batch): run it in one process.
"""
from useg.precompute import PrecomputeStep
from useg.registry import PRECOMPUTE_STEPS

from .clusterbook import precompute_clusterbook, resolve_clusterbook


@PRECOMPUTE_STEPS.register_module('clusterbook')
class ClusterbookStep(PrecomputeStep):
    """``cfg.clusterbook = dict(pipeline, num_codebook, ...)`` -> the cached ``(M, C)`` clusterbook."""

    settings_key = 'clusterbook'
    help = 'CAUSE concept clusterbook (stage 1)'

    @classmethod
    def add_arguments(cls, parser):
        parser.add_argument('--amp', action='store_true',
                            help='fp16 autocast + GradScaler (the reference)')

    def run(self, cfg, workers=2, device='cpu', batch_size=None, force=False, amp=False, **_):
        return precompute_clusterbook(cfg, workers, device, amp, force)

    def resolve(self, cfg, config_path=None):
        return resolve_clusterbook(cfg, config_path)[0]
