"""Checks of a loaded config that fail in one line before anything is built.

* ``check_option_types``: a ``--cfg-options`` value of the wrong type for the key it replaces
  (``train_cfg.max_iters=abc``).
* ``check_config_keys``: a key that the component named by ``type`` does not accept (a typo such
  as ``model.head.chanels``), or a new ``--cfg-options`` key close to an existing one
  (``trian_cfg.max_iters``), reported with the closest names.
* ``missing_plugin_message``: which package to install for a config's missing plugin module.
"""
import difflib
import inspect
import os.path as osp

from useg.utils import UsegError

_MISSING = object()


def _lookup(node, key):
    """The value at dotted ``key`` in ``node`` (lists by index), or ``_MISSING``."""
    for part in key.split('.'):
        if isinstance(node, (list, tuple)) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        elif hasattr(node, 'keys') and part in node:
            node = node[part]
        else:
            return _MISSING
    return node


def _type_name(value):
    return {bool: 'true/false', int: 'an integer', float: 'a number'}[type(value)]


def check_option_types(cfg, cfg_options, path='config'):
    """Raise a one-line ``UsegError`` when a ``--cfg-options`` value cannot replace the config's
    number or boolean at that key (``cfg`` before the options are merged)."""
    for key, value in (cfg_options or {}).items():
        old = _lookup(cfg, key)
        if old is _MISSING or old is None or type(old) not in (bool, int, float) or value is None:
            continue
        fits = isinstance(value, bool) if isinstance(old, bool) else \
            (isinstance(value, int) and not isinstance(value, bool)) if isinstance(old, int) else \
            isinstance(value, (int, float)) and not isinstance(value, bool)
        if not fits:
            raise UsegError(f'--cfg-options {key}={value!r}: {key} expects {_type_name(old)} '
                            f'(the config {osp.basename(path)} has {old!r})')


def _accepted(obj):
    """The keyword names ``obj`` (a class or function) accepts, or None when it takes
    ``**kwargs`` or has no readable signature."""
    try:
        signature = inspect.signature(obj.__init__ if inspect.isclass(obj) else obj)
    except (TypeError, ValueError):
        return None
    params = signature.parameters.values()
    if any(param.kind is param.VAR_KEYWORD for param in params):
        return None
    return {param.name for param in params} - {'self'}


def _registries(section):
    from useg import registry
    if section == 'model':
        return [registry.MODELS]
    if section.endswith('dataloader'):
        return [registry.DATASETS, registry.TRANSFORMS, registry.DATA_SAMPLERS]
    if section in ('custom_hooks', 'default_hooks'):
        return [registry.HOOKS]
    return []


def _typed_nodes(node, where):
    """``(dotted path, dict)`` of every dict with a string ``type`` under ``node``."""
    if hasattr(node, 'keys'):
        if isinstance(node.get('type'), str):
            yield where, node
        for key in node:  # ``*_cfg`` (norm_cfg, init_cfg, ...) are read by special builders
            if not str(key).endswith('_cfg'):
                yield from _typed_nodes(node[key], f'{where}.{key}')
    elif isinstance(node, (list, tuple)):
        for index, item in enumerate(node):
            yield from _typed_nodes(item, f'{where}.{index}')


def check_config_keys(cfg, path='config', cfg_options=None, original=None):
    """Raise a one-line ``UsegError`` naming a config key no component accepts.

    Every typed dict of ``model``, the dataloaders and the hooks (not under a ``*_cfg`` key)
    whose ``type`` resolves in
    exactly one of its section's registries is checked against that class's arguments (unless it
    takes ``**kwargs``). A ``--cfg-options`` key new to ``original`` (the config before the
    options) whose name is close to an existing sibling is reported as a likely typo.
    """
    for key in cfg_options or {} if original is not None else {}:
        node, parts = original, key.split('.')
        for depth, part in enumerate(parts):  # the first part the config does not have
            if isinstance(node, (list, tuple)) and part.isdigit():
                node = node[int(part)] if int(part) < len(node) else None
                continue
            if not hasattr(node, 'keys') or part in node:
                node = node[part] if hasattr(node, 'keys') else None
                continue
            close = difflib.get_close_matches(part, [str(name) for name in node], n=1, cutoff=0.8)
            if close:
                raise UsegError(f'--cfg-options {key}: {path} has no {".".join(parts[:depth + 1])} '
                                f'(did you mean {".".join(parts[:depth] + close)}?)')
            break
    for section in list(cfg.keys()):
        registries = _registries(section)
        if not registries:
            continue
        for where, node in _typed_nodes(cfg[section], section):
            found = [obj for obj in (registry.get(node['type']) for registry in registries)
                     if obj is not None]
            accepted = _accepted(found[0]) if len(found) == 1 else None
            if accepted is None:
                continue
            unknown = [key for key in node if key not in accepted and key not in ('type', '_scope_')]
            if unknown:
                close = difflib.get_close_matches(unknown[0], sorted(accepted), n=1, cutoff=0.6)
                hint = f' (did you mean {where}.{close[0]}?)' if close else \
                    f'; it takes {", ".join(sorted(accepted))}'
                raise UsegError(f'{path}: {where}.{unknown[0]} is not an argument of '
                                f'{node["type"]}{hint}')


def missing_plugin_message(path, module):
    """One line: the config at ``path`` needs plugin ``module``, and how to install it."""
    from useg.tools.config_paths import PACKAGE_DIR
    package = module.split('.')[0]
    distribution = package.replace('_', '-')
    folder = osp.join(osp.dirname(PACKAGE_DIR), 'plugins', package[len('useg_'):])
    where = f' (in this checkout: pip install -e {folder})' if osp.isdir(folder) else ''
    return (f'config {path} needs the plugin package {package}, which is not installed: '
            f'pip install {distribution}{where}')
