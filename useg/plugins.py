"""Discovery of installed useg plugin packages (entry-point group ``useg.plugins``).

A plugin is any installed distribution that declares, in its ``pyproject.toml``::

    [project.entry-points."useg.plugins"]
    my_method = "my_method_package"

Every such module is imported once, lazily, right before the first lookup in a useg registry;
importing it runs its ``@MODELS.register_module()`` decorators. A plugin that fails to import is
reported with a warning naming it and the error, and useg carries on without it.
"""
import difflib
import warnings
from importlib import import_module, metadata

from mmengine.registry import Registry

ENTRY_POINT_GROUP = 'useg.plugins'

_discovered = None  # name -> module, or the exception it raised


def discover_plugins(force=False):
    """Import every ``useg.plugins`` entry point once; returns ``{name: module | exception}``."""
    global _discovered
    if _discovered is not None and not force:
        return _discovered
    _discovered = {}
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        try:
            _discovered[entry_point.name] = import_module(entry_point.value.split(':')[0])
        except Exception as error:  # a broken third-party plugin must not break useg
            _discovered[entry_point.name] = error
            warnings.warn(f'useg plugin {entry_point.name!r} ({entry_point.value}) failed to load '
                          f'and is skipped: {type(error).__name__}: {error}', RuntimeWarning,
                          stacklevel=2)
    return _discovered


def registered_names(registry):
    """All names a build in ``registry`` can resolve: its own, then its parents'."""
    names = []
    while registry is not None:
        registry.import_from_location()
        names.extend(registry.module_dict)
        registry = registry.parent
    return names


def unknown_type_message(registry, name):
    """One line naming the unknown type, the registry and the closest registered names."""
    close = difflib.get_close_matches(str(name), registered_names(registry), n=5, cutoff=0.5)
    hint = f' Closest registered names: {", ".join(close)}.' if close else ''
    return (f'{name!r} is not registered in the {registry.scope}::{registry.name} registry '
            f'(nor its parents).{hint}')


class PluginAwareRegistry(Registry):
    """An mmengine ``Registry`` that imports installed plugins before its first lookup."""

    def get(self, key):
        discover_plugins()
        return super().get(key)

    def build(self, cfg, *args, **kwargs):
        discover_plugins()
        obj_type = cfg.get('type') if hasattr(cfg, 'get') else None
        if isinstance(obj_type, str) and self.get(obj_type) is None:
            raise KeyError(unknown_type_message(self, obj_type))
        return super().build(cfg, *args, **kwargs)
