"""Precompute steps: what a config computes once over its dataset and caches before training.

A config declares its steps by registered name, ``precomputes = ['knn', 'depth']`` (an entry may
also be ``dict(type=name, **options)``); each name is a :class:`PrecomputeStep` in
``useg.registry.PRECOMPUTE_STEPS`` (the core registers ``pseudo_labels`` and ``knn``, plugins
register their own, e.g. CAUSE's ``clusterbook``, DepthG's ``depth``). ``useg precompute CONFIG``
runs the declared steps (and any step whose settings the config holds, e.g. a hand-written
``pseudo_labels = dict(...)``); :func:`check_precomputes` (at the start of training) points the config at
each step's cache, or stops with the exact ``useg precompute`` command.
"""
import os
import os.path as osp
from abc import ABC, abstractmethod

from useg.utils import UsegError
from useg.utils.cache import CACHE_ROOT_ENV


class PrecomputeStep(ABC):
    """One cached step. Subclasses set ``settings_key`` (the config key that holds the step's
    settings: a config that holds it runs the step, declared or not) and implement :meth:`run` /
    :meth:`resolve`.

    ``options`` are the declaration's keyword arguments (``dict(type='knn', **options)``).
    """

    settings_key = None
    help = ''

    def __init__(self, **options):
        self.options = options

    @classmethod
    def add_arguments(cls, parser):
        """Add this step's own command-line options to ``parser`` (an argparse group)."""

    def configured(self, cfg):
        """Whether ``cfg`` holds this step's settings."""
        return bool(self.settings_key and cfg.get(self.settings_key))

    @abstractmethod
    def run(self, cfg, workers=2, device='cpu', batch_size=None, force=False, **options):
        """Fill the cache of ``cfg`` (again with ``force``); ``options``: the parsed command line."""

    @abstractmethod
    def resolve(self, cfg, config_path=None):
        """At the start of training: point ``cfg`` at the cache, or raise a one-line
        :class:`UsegError` ending in the command that builds it (:func:`precompute_command`)."""


def step_name(entry):
    """The registered name of a ``precomputes`` entry (a name or ``dict(type=name, ...)``)."""
    return entry['type'] if isinstance(entry, dict) else entry


def declared_steps(cfg):
    """``[(name, PrecomputeStep)]`` of ``cfg``: those ``cfg.precomputes`` declares, in order, then
    any other registered step whose settings the config holds (its settings declare it).

    A declared name that no installed package registers is a one-line :class:`UsegError`.
    """
    from useg.registry import PRECOMPUTE_STEPS
    registered = _registered_steps()
    if isinstance(cfg.get('precomputes'), dict):
        raise UsegError('precomputes is a list of step names, e.g. precomputes = '
                        f'{list(cfg.precomputes)!r}; registered: {sorted(registered)}')
    steps = []
    for entry in cfg.get('precomputes') or []:
        name = step_name(entry)
        if name not in registered:
            raise UsegError(f'precomputes names {name!r}, which no installed package registers '
                            f'(registered: {sorted(registered)})')
        options = {key: value for key, value in dict(entry).items() if key != 'type'} \
            if isinstance(entry, dict) else {}
        steps.append((name, PRECOMPUTE_STEPS.get(name)(**options)))
    names = [name for name, _ in steps]
    for name, step_cls in registered.items():
        step = step_cls()
        if name not in names and step.configured(cfg):
            steps.append((name, step))
    return steps


def _registered_steps():
    """``{name: PrecomputeStep class}`` of the core and every installed plugin."""
    from useg.plugins import discover_plugins
    from useg.registry import PRECOMPUTE_STEPS
    discover_plugins()
    PRECOMPUTE_STEPS.import_from_location()
    return dict(sorted(PRECOMPUTE_STEPS.module_dict.items()))


def needed_precomputes(cfg):
    """The names of the steps ``cfg`` declares (see :func:`declared_steps`)."""
    return [name for name, _ in declared_steps(cfg)]


def build_step(name):
    """The registered :class:`PrecomputeStep` ``name`` (a one-line error when unknown)."""
    registered = _registered_steps()
    if name not in registered:
        raise UsegError(f'no precompute step {name!r} (registered: {sorted(registered)})')
    return registered[name]()


def precompute_command(config_path, work_dir=None, steps=None, force=False):
    """The exact ``useg precompute`` command line for a config: ``--work-dir`` when the work dir
    is not the config's default one and no ``$USEG_CACHE`` is set; ``--steps`` and ``--force``
    when only some steps are to be redone."""
    command = f'useg precompute {config_path or "CONFIG"}'
    if config_path and work_dir and not os.environ.get(CACHE_ROOT_ENV):
        default = osp.join('work_dirs', osp.splitext(osp.basename(config_path))[0])
        if osp.normpath(work_dir) != osp.normpath(default):
            command += f' --work-dir {work_dir}'
    if steps:
        command += ' --steps ' + ' '.join(steps)
    return command + (' --force' if force else '')


def check_precomputes(cfg, config_path=None):
    """At the start of training: resolve every declared step's cache (each may point ``cfg`` at
    it), or stop with the exact command. Returns the declared step names."""
    steps = declared_steps(cfg)
    for _, step in steps:
        step.resolve(cfg, config_path)
    return [name for name, _ in steps]


def run_precomputes(cfg, workers=2, device='cpu', batch_size=None, force=False, steps=None,
                    **options):
    """Run ``steps`` (default: every declared step) of ``cfg``; returns the names run."""
    chosen = declared_steps(cfg) if steps is None else [(name, build_step(name)) for name in steps]
    for _, step in chosen:
        step.run(cfg, workers=workers, device=device, batch_size=batch_size, force=force, **options)
    return [name for name, _ in chosen]
