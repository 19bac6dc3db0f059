"""Print a config as the tools see it: ``useg print-config CONFIG [--cfg-options ...] [--work-dir DIR]``.

Every ``_base_`` file merged, ``'${name}'`` variables resolved, ``--cfg-options`` and the work
dir applied (as ``useg train`` would load it); like mmseg's ``tools/misc/print_config.py``.
"""
import argparse

from mmengine.config import DictAction

from useg.apis import load_config
from useg.utils.errors import add_tool_flags
from .config_paths import resolve_config_path


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog='useg print-config', description=__doc__.split('\n')[0])
    parser.add_argument('config', help='config file path (or a shipped config name)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config entries, e.g. train_cfg.max_iters=100')
    parser.add_argument('--work-dir', help='the work dir the run would use')
    parser.add_argument('--save', metavar='FILE', help='also write the resolved config to FILE')
    add_tool_flags(parser)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(resolve_config_path(args.config), args.cfg_options, args.work_dir)
    print(cfg.pretty_text)
    if args.save:
        cfg.dump(args.save)
