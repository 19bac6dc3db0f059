from .base import BasePseudoLabeler
from .precompute import precompute_pseudo_labels
from .cache import (PseudoLabelCache, pseudo_label_cache, pseudo_label_cache_key, pseudo_label_pass,
                    resolve_pseudo_label_cache)
from .precompute_step import PseudoLabelStep
from .transforms import LoadPseudoLabel, PackUnsupervisedSegInputs

__all__ = ['BasePseudoLabeler', 'LoadPseudoLabel', 'PackUnsupervisedSegInputs', 'PseudoLabelCache',
           'PseudoLabelStep',
           'precompute_pseudo_labels', 'pseudo_label_cache', 'pseudo_label_cache_key',
           'pseudo_label_pass', 'resolve_pseudo_label_cache']
