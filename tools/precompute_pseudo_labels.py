"""Compute and cache pseudo labels of a config's training split

The same as ``useg precompute CONFIG --steps pseudo_labels ...`` (``useg precompute-pseudo-labels``)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.precompute_pseudo_labels import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
