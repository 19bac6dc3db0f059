"""Precompute what a config trains with: ``useg precompute CONFIG [--steps STEP ...] [--work-dir DIR]
[--batch-size N] [--workers N] [--device cuda] [--force] [--launcher pytorch] [step options]``.

Runs the steps the config declares in ``precomputes = [...]`` (registered in
``useg.registry.PRECOMPUTE_STEPS``: the core's ``pseudo_labels`` and ``knn``, a plugin's own such
as CAUSE's ``clusterbook`` or DepthG's ``depth``; see :mod:`useg.precompute`), or only ``--steps``.
Every step caches under a key of everything that changes it, so a second call does no work;
``--force`` computes the chosen steps again. ``--help`` with a CONFIG lists its steps' own options.
"""
import argparse
import sys

from useg.precompute import build_step, declared_steps, needed_precomputes, run_precomputes
from useg.utils import init_distributed, run_cli
from .config_paths import resolve_config_path
from .dataset_pass_arguments import add_dataset_pass_arguments

__all__ = ['main', 'needed_precomputes', 'run_precomputes', 'step_main']  # aliases of useg.precompute's


def _parser(steps=()):
    parser = argparse.ArgumentParser(prog='useg precompute', description=__doc__.split('\n')[0])
    add_dataset_pass_arguments(parser, 'the caches',
                               batch_size_help="images per batch (default: the step's own)")
    parser.add_argument('--steps', nargs='+', metavar='STEP',
                        help='run only these steps (default: every step the config declares)')
    for name, step in steps:
        step.add_arguments(parser.add_argument_group(f'{name} step', step.help))
    return parser


def main(argv=None):
    """Resolve the config, then run its declared steps (or ``--steps``) with their options."""
    from useg.apis import load_config
    argv = list(sys.argv[1:] if argv is None else argv)
    helps = ('-h', '--help')
    if all(arg in helps for arg in argv):
        _parser().parse_args(argv)  # the usage, or the missing CONFIG
    known, _ = _parser().parse_known_args([arg for arg in argv if arg not in helps])
    path = argv[argv.index(known.config)] = resolve_config_path(known.config)
    known.config = path
    cfg = load_config(known.config, known.cfg_options, known.work_dir)
    steps = [(name, build_step(name)) for name in known.steps] if known.steps else \
        declared_steps(cfg)
    args = _parser(steps).parse_args(argv)  # with the steps' own options (and their --help)
    if not steps:
        print(f'{known.config} trains without pseudo labels or KNN tables: it declares no '
              'precompute steps (precomputes = [...]), nothing to precompute')
        return
    init_distributed(args.launcher)
    options = {key: value for key, value in vars(args).items()
               if key not in ('config', 'work_dir', 'cfg_options', 'launcher', 'steps')}
    names = run_precomputes(cfg, steps=[name for name, _ in steps], **options)
    print(f'precomputed: {", ".join(names)}')


def step_main(step, argv=None):
    """``main`` of one step's own command (``useg precompute-knn``, ``tools/precompute_knn.py``)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if all(arg in ('-h', '--help') for arg in argv):
        return main(argv)  # the usage
    return main(argv + ['--steps', step])


if __name__ == '__main__':
    run_cli(main)
