"""Loading configs the way the tools do."""
import copy
import os
import os.path as osp
import re
import warnings

import torch
from mmengine.config import Config, ConfigDict, DictAction

from useg.utils import UsegError, walk
from useg.utils.errors import add_tool_flags, apply_tool_flags
from .config_checks import check_config_keys, check_option_types, missing_plugin_message


def load_config(path, cfg_options=None, work_dir=None):
    """``Config.fromfile`` with ``--cfg-options`` merged and ``work_dir`` decided.

    work_dir priority: argument > config > ``./work_dirs/<config dir>_<config name>`` for the
    configs named ``tiny_synthetic*`` (every plugin has one: they must not share a work dir) >
    ``./work_dirs/<config name>``. Syntax errors, missing ``_base_`` files, a plugin that is not
    installed, option values of the wrong type and unknown keys (``useg.apis.config_checks``)
    are one-line errors naming the config, before anything is built.
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
    except ImportError as error:  # a plugin named in custom_imports is not installed
        missing = error
        while missing.__cause__ is not None or missing.__context__ is not None:
            missing = missing.__cause__ or missing.__context__  # the import that failed first
        if not isinstance(missing, ImportError) or not (missing.name or '').startswith('useg_'):
            raise
        raise UsegError(missing_plugin_message(path, missing.name)) from None
    original = None
    if cfg_options:
        expand_option_paths(cfg, cfg_options, path)  # options may reach into '${name}' values
        check_option_types(cfg, cfg_options, path)
        original = copy.deepcopy(cfg._cfg_dict.to_dict())
        cfg.merge_from_dict(cfg_options)
    finalize_config(cfg, path)
    check_config_keys(cfg, path, cfg_options, original)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        stem = osp.splitext(osp.basename(path))[0]
        if stem.startswith('tiny_synthetic'):
            stem = f'{osp.basename(osp.dirname(osp.abspath(path)))}_{stem}'
        cfg.work_dir = osp.join('./work_dirs', stem)
    return cfg


VARIABLE = re.compile(r'^\$\{(\w+)\}$')
TRAIN_SPLIT_LOADERS = ('train_dataloader', 'memory_dataloader', 'custom_hooks', 'pseudo_labels')


def finalize_config(cfg, path='config'):
    """What the tools do to a merged config before use: apply ``own_data`` (if declared), then
    resolve ``'${name}'`` variables. Returns ``cfg``."""
    if cfg.get('own_data'):
        apply_own_data(cfg, **cfg.own_data)
    return resolve_variables(cfg, path)


def resolve_variables(cfg, path='config'):
    """Replace every value ``'${name}'`` by the config's top-level ``name`` (after inheritance and
    ``--cfg-options``), so a child config changes e.g. ``crop_size`` in one line and every
    pipeline that reads it follows. Raises ``UsegError`` naming an undefined variable."""
    for key in list(cfg.keys()):
        cfg[key] = _resolved(cfg, cfg[key], path)
    return cfg


def expand_option_paths(cfg, cfg_options, path='config'):
    """Resolve the ``'${name}'`` values that ``--cfg-options`` keys pass through (e.g.
    ``model.backbone.arch`` when ``model.backbone`` is ``'${backbone}'``) so they merge; top-level
    variables (``crop_size=448``) stay variables and reach every reader."""
    for key in cfg_options or {}:
        node = cfg._cfg_dict if isinstance(cfg, Config) else cfg
        for part in key.split('.')[:-1]:
            index = int(part) if isinstance(node, list) and part.isdigit() else part
            if isinstance(node, dict) and part not in node:
                break
            child = node[index]
            if isinstance(child, str) and VARIABLE.match(child):
                child = node[index] = _resolved(cfg, child, path)
            node = child
    return cfg


def _resolved(cfg, node, path):
    """``node`` with every ``'${name}'`` replaced by a copy of ``cfg[name]`` (recursively)."""
    if isinstance(node, str):
        match = VARIABLE.match(node)
        if not match:
            return node
        if match.group(1) not in cfg:
            raise UsegError(f'{path}: {node} is used but {match.group(1)} is not defined; '
                            f'add "{match.group(1)} = ..." to the config')
        return _resolved(cfg, copy.deepcopy(cfg[match.group(1)]), path)
    if isinstance(node, dict):
        for key in node:
            node[key] = _resolved(cfg, node[key], path)
        return node
    if isinstance(node, (list, tuple)):
        return type(node)(_resolved(cfg, item, path) for item in node)
    return node


def apply_own_data(cfg, data_root, num_classes, crop_size=None, eval_size=None, classes=None):
    """Point ``cfg`` (any method config) at an image folder (``imgs/{train,val}``, optional
    ``labels/{train,val}``) with ``num_classes`` classes.

    Every dataset (train / val / test / memory loaders, hooks' and pseudo-label loaders, wrapped
    ones such as ``KNNPairDataset``'s) becomes an ``ImageFolderDataset`` that keeps its pipeline
    (split ``val`` for val / test loaders, else ``train``); every ``num_classes`` /
    ``num_clusters`` in the model and the evaluators becomes ``num_classes``; ``crop_size`` /
    ``eval_size`` (the variables pipelines read) are set when given.
    """
    for name, size in (('crop_size', crop_size), ('eval_size', eval_size)):
        if size is not None:
            cfg[name] = size
    folder = dict(type='ImageFolderDataset', data_root=data_root, num_classes=num_classes)
    if classes is not None:
        folder['classes'] = tuple(classes)

    def dataset(split):
        def visit(node):
            if isinstance(node, dict) and 'data_root' in node and isinstance(node.get('type'), str):
                pipeline = {'pipeline': node['pipeline']} if 'pipeline' in node else {}
                node.clear()
                node.update(folder, split=split, **pipeline)
                return True
        return visit

    def class_count(node):
        if isinstance(node, dict):
            for key in ('num_classes', 'num_clusters'):
                if isinstance(node.get(key), int):
                    node[key] = num_classes

    for key in list(cfg.keys()):
        if key.endswith('dataloader') or key in TRAIN_SPLIT_LOADERS:
            walk(cfg[key], dataset('val' if key in ('val_dataloader', 'test_dataloader') else 'train'))
    for key in ('model', 'val_evaluator', 'test_evaluator'):
        walk(cfg.get(key), class_count)
    cfg.num_classes, cfg.data_root = num_classes, data_root
    return cfg


def set_data_root(cfg, data_root):
    """Point every ``data_root`` key of ``cfg`` (dataloaders, pseudo-label settings) at ``data_root``."""

    def visit(node):
        if isinstance(node, dict) and 'data_root' in node:
            node['data_root'] = data_root

    walk(cfg._cfg_dict if isinstance(cfg, Config) else cfg, visit)
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
