"""Print a config fully resolved: ``python tools/print_config.py CONFIG [--cfg-options ...]``

The same as ``useg print-config ...``; the logic lives in ``useg/tools/print_config.py``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.print_config import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
