"""Train and cache the CAUSE concept clusterbook (stage 1) of a config

The same as ``useg precompute CONFIG --steps clusterbook``: the step lives in the CAUSE plugin and is
found through the precompute registry."""
import functools
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from useg.tools.precompute import step_main  # noqa: E402
from useg.utils import run_cli  # noqa: E402

main = functools.partial(step_main, 'clusterbook')

if __name__ == '__main__':
    run_cli(main)
