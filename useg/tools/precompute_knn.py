"""``useg precompute-knn CONFIG [options]``: the ``knn`` step of ``useg precompute`` alone (an
alias of ``useg precompute CONFIG --steps knn``; see :mod:`useg.neighbors.precompute`)."""
import functools

from .precompute import step_main

main = functools.partial(step_main, 'knn')
