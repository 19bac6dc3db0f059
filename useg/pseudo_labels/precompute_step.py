"""The ``pseudo_labels`` precompute step: one label map per training image (``cfg.pseudo_labels``)."""
from useg.precompute import PrecomputeStep
from useg.registry import PRECOMPUTE_STEPS
from .cache import resolve_pseudo_label_cache
from .precompute import precompute_pseudo_labels


@PRECOMPUTE_STEPS.register_module('pseudo_labels')
class PseudoLabelStep(PrecomputeStep):
    """``cfg.pseudo_labels = dict(labeler=..., cache_dir=..., pipeline=...)`` -> its cache."""

    settings_key = 'pseudo_labels'
    help = 'pseudo labels of the training set'

    def run(self, cfg, workers=2, device='cpu', batch_size=None, force=False, **_):
        return precompute_pseudo_labels(cfg, batch_size, workers, device, force)

    def resolve(self, cfg, config_path=None):
        return resolve_pseudo_label_cache(cfg, config_path)
