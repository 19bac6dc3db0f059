"""Post-processing of predictions (dense CRF)."""
from .crf import crf_inference, crf_probabilities, dense_crf, dense_crf_batch

__all__ = ['crf_inference', 'crf_probabilities', 'dense_crf', 'dense_crf_batch']
