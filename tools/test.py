"""Evaluate a checkpoint: ``python tools/test.py CONFIG CHECKPOINT [--show-dir DIR] [--out FILE]``

The same as ``useg test ...``; the logic lives in ``useg/tools/test.py``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.test import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
