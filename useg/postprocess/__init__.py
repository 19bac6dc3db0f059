"""Post-processing of predictions (dense CRF: pydensecrf or the PyTorch lattice)."""
from .crf import crf_inference, crf_probabilities, dense_crf, dense_crf_batch
from .crf_torch import dense_crf_torch
from .permutohedral import PermutohedralLattice
from .refine import CRF_BACKENDS, refine_with_crf, resolve_crf_backend

__all__ = ['CRF_BACKENDS', 'PermutohedralLattice', 'crf_inference', 'crf_probabilities', 'dense_crf',
           'dense_crf_batch', 'dense_crf_torch', 'refine_with_crf', 'resolve_crf_backend']
