"""The number every method must beat: k-means on a config's own frozen backbone features

The same as ``useg kmeans-baseline ...``; the logic lives in ``useg/tools/kmeans_baseline.py``."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.kmeans_baseline import main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

if __name__ == '__main__':
    run_cli(main)
