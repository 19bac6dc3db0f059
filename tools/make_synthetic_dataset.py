"""Write a synthetic textured-scene dataset: ``python tools/make_synthetic_dataset.py DIR``

The same as ``useg make-synthetic-data DIR``; the logic lives in
``useg/tools/make_synthetic_dataset.py``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.make_synthetic_dataset import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
