"""Compute and cache the KNN table a STEGO-style config trains with

The same as ``useg precompute CONFIG --steps knn ...`` (``useg precompute-knn``)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.precompute_knn import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
