"""Segment images: ``python tools/infer.py CONFIG CHECKPOINT IMAGES... --out-dir DIR``

The same as ``useg infer ...``; the logic lives in ``useg/tools/infer.py``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.infer import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
