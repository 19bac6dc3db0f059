"""``useg precompute-pseudo-labels CONFIG [options]``: the ``pseudo_labels`` step of ``useg
precompute`` alone (an alias of ``useg precompute CONFIG --steps pseudo_labels``; see
:mod:`useg.pseudo_labels.precompute`)."""
import functools

from .precompute import step_main

main = functools.partial(step_main, 'pseudo_labels')
