"""Train a useg config: ``python tools/train.py CONFIG [--work-dir DIR] [--resume] [--amp]``

The same as ``useg train ...``; the logic lives in ``useg/tools/train.py``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.train import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
