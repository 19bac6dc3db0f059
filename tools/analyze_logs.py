"""``python tools/analyze_logs.py ...``: the same as ``useg analyze-logs ...`` (see useg/tools/analyze_logs.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.analyze_logs import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
