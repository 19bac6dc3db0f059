"""``python tools/reproduce.py ...``: the same as ``useg reproduce ...`` (see useg/tools/reproduce.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.reproduce import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
