"""Convert a published backbone checkpoint once into a plain useg weight file

The same as ``useg convert-weights ...``; the logic lives in ``useg/tools/convert_weights.py``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.convert_weights import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
