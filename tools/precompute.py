"""Run the precompute steps a config declares (pseudo labels, KNN table, a plugin's own)

The same as ``useg precompute CONFIG ...``; the logic lives in ``useg/tools/precompute.py``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.precompute import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
