"""The methods tests cover, derived from the installed plugins (``useg.plugins``) and ``configs/``."""
import os.path as osp
from importlib import metadata
from importlib.util import find_spec

from useg.plugins import ENTRY_POINT_GROUP
from .paths import config_path


def installed_methods():
    """Sorted names of the installed plugins (their ``useg.plugins`` entry points)."""
    return sorted({entry_point.name for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP)})


def tiny_config_methods():
    """``'baseline'`` (the core's) and every installed plugin with a ``configs/<m>/tiny_synthetic.py``."""
    return ['baseline'] + [name for name in installed_methods()
                           if osp.isfile(config_path(name, 'tiny_synthetic.py'))]


def tiny_configs():
    """The tiny config of ``baseline`` and of every installed plugin: ``configs/<m>/tiny_synthetic.py``,
    else the plugin folder's own ``configs/tiny_synthetic.py`` (the template's)."""
    paths = [config_path(name, 'tiny_synthetic.py') for name in tiny_config_methods()]
    for entry_point in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if entry_point.name in tiny_config_methods():
            continue
        spec = find_spec(entry_point.value.split(':')[0])
        own = spec and spec.origin and osp.join(osp.dirname(osp.dirname(spec.origin)), 'configs',
                                                'tiny_synthetic.py')
        if own and osp.isfile(own):
            paths.append(own)
    return sorted(paths)
