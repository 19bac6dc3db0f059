"""Loading configs the way the tools do."""
import os
import os.path as osp
import warnings

import torch
from mmengine.config import Config, ConfigDict, DictAction

from useg.utils import UsegError
from useg.utils.errors import apply_tool_flags


def load_config(path, cfg_options=None, work_dir=None):
    """``Config.fromfile`` with ``--cfg-options`` merged and ``work_dir`` decided.

    work_dir priority: argument > config > ``./work_dirs/<config dir>_<config name>`` for the
    configs named ``tiny_synthetic*`` (every plugin has one: they must not share a work dir) >
    ``./work_dirs/<config name>``. Syntax errors and missing ``_base_`` files name the config.
    """
    if not osp.isfile(path):
        raise UsegError(f'config file not found: {path}')
    try:
        cfg = Config.fromfile(path)
    except SyntaxError as error:
        raise UsegError(f'config {path} has a syntax error: {error.msg} (line {error.lineno} of '
                        f'{error.filename if error.filename not in (None, "<unknown>") else path})'
                        ) from None
    except FileNotFoundError as error:
        raise UsegError(f'config {path} refers to a missing file: {error.filename or error}') from None
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        stem = osp.splitext(osp.basename(path))[0]
        if stem.startswith('tiny_synthetic'):
            stem = f'{osp.basename(osp.dirname(osp.abspath(path)))}_{stem}'
        cfg.work_dir = osp.join('./work_dirs', stem)
    return cfg


def set_data_root(cfg, data_root):
    """Point every ``data_root`` key of ``cfg`` (dataloaders, pseudo-label settings) at ``data_root``."""

    def visit(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == 'data_root':
                    node[key] = data_root
                else:
                    visit(value)
        elif isinstance(node, (list, tuple)):
            for item in node:
                visit(item)

    visit(cfg._cfg_dict if isinstance(cfg, Config) else cfg)
    return cfg


def enable_amp(cfg):
    """Switch every optimiser wrapper to ``AmpOptimWrapper`` (bf16 where supported, else fp16).

    On a machine without CUDA this warns and keeps fp32.
    """
    if not torch.cuda.is_available():
        warnings.warn('--amp needs a CUDA GPU; running in fp32 on the CPU', RuntimeWarning, stacklevel=2)
        return cfg
    dtype = 'bfloat16' if torch.cuda.is_bf16_supported() else 'float16'
    wrapper = cfg.optim_wrapper
    wrappers = [wrapper] if 'optimizer' in wrapper or wrapper.get('type') else \
        [value for value in wrapper.values() if isinstance(value, (dict, ConfigDict))]
    for item in wrappers:
        if item.get('type', 'OptimWrapper') != 'OptimWrapper':
            raise UsegError(f'--amp expects OptimWrapper entries, got {item.get("type")}')
        item['type'] = 'AmpOptimWrapper'
        item.setdefault('dtype', dtype)  # a config may force fp16 like some references
        item.setdefault('loss_scale', 'dynamic')
    return cfg


def add_runner_arguments(parser, cfg_options_example):
    """The arguments tools/train.py, test.py and infer.py share (mmseg 1.x names, plus ``--debug``
    and ``--threads``, which every tool accepts through ``run_cli``)."""
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help=f'override config entries, e.g. {cfg_options_example}')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'], default='none',
                        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    parser.add_argument('--tensorboard', action='store_true',
                        help='also log to TensorBoard (<work_dir>/<timestamp>/vis_data)')
    parser.add_argument('--verbose', action='store_true',
                        help='also log the environment, the full config and the hook table')
    add_tool_flags(parser)
    return parser


def add_tool_flags(parser):
    """``--debug`` and ``--threads N`` (applied by ``run_cli`` and :func:`load_runner_config`)."""
    parser.add_argument('--debug', action='store_true',
                        help='show full tracebacks instead of one-line errors')
    parser.add_argument('--threads', type=int,
                        help='CPU threads for torch (default: $USEG_THREADS, else torch decides)')
    return parser


def load_runner_config(args):
    """Config of parsed tool ``args`` (config, cfg_options, work_dir, launcher, local_rank,
    debug, threads)."""
    apply_tool_flags(getattr(args, 'debug', False), getattr(args, 'threads', None))
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    cfg = load_config(args.config, args.cfg_options, args.work_dir)
    cfg.launcher = args.launcher
    if getattr(args, 'tensorboard', False):
        from useg.visualization import enable_tensorboard
        enable_tensorboard(cfg)
    cfg.verbose = args.verbose
    return cfg
