"""Convert a paper's released checkpoint into a useg checkpoint

The same as ``useg convert-checkpoint ...``; the logic lives in ``useg/tools/convert_checkpoint.py``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.convert_checkpoint import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
