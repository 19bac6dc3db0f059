"""Train and cache the CAUSE concept clusterbook (stage 1) of a config:
``python tools/precompute_clusterbook.py CONFIG [--work-dir DIR] [--workers N] [--device D] [--amp]
[--force]`` (= ``useg precompute CONFIG``); the logic lives in ``useg_cause/clusterbook_tool.py``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.utils import run_cli  # noqa: E402
from useg_cause.clusterbook_tool import main  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
