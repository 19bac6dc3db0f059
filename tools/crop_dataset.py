"""STEGO's five-crop preprocessing of a training split (resumable); the logic is

The same as ``useg crop-dataset ...``; the logic lives in ``useg/tools/crop_dataset.py``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.crop_dataset import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
