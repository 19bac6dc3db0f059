"""Cache the frozen backbone features of a config's dataset split (memory-mapped ``.npy``)

The same as ``useg extract-features ...``; the logic lives in ``useg/tools/extract_features.py``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.extract_features import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
