"""Config names as the tools accept them: a path, or a name under the shipped configs.

``primaps/dinov2_vitb14_cs`` (or ``configs/primaps/dinov2_vitb14_cs.py``) resolves, in an editable
install, to ``<checkout>/configs``, else to the configs shipped inside the installed package
(``useg/.mim/configs``, copied there when a wheel is built). A path that exists always wins.
"""
import os.path as osp

import useg
from useg.utils import UsegError

PACKAGE_DIR = osp.dirname(osp.abspath(useg.__file__))


def config_roots():
    """Folders searched for config names: the checkout's (editable install), then the packaged."""
    checkout = osp.dirname(PACKAGE_DIR)
    roots = [osp.join(PACKAGE_DIR, '.mim', 'configs')]
    if osp.isfile(osp.join(checkout, 'setup.py')):  # not some other site-packages/configs
        roots.insert(0, osp.join(checkout, 'configs'))
    return [root for root in roots if osp.isdir(root)]


def resolve_config_path(name):
    """An existing config path for ``name`` (path or shipped config name); one-line error if none."""
    if osp.isfile(name):
        return name
    relative = name[len('configs/'):] if name.startswith('configs/') else name
    candidates = [relative] + ([] if relative.endswith('.py') else [relative + '.py'])
    for root in config_roots():
        for candidate in candidates:
            path = osp.join(root, candidate)
            if osp.isfile(path):
                return path
    searched = ', '.join(config_roots()) or 'no shipped configs installed'
    raise UsegError(f'config file not found: {name} (not a file, nor a config name under {searched})')


def config_name(path):
    """``primaps/dinov2_vitb14_cs`` for a config under a config root, else the file's stem."""
    path = osp.abspath(path)
    for root in config_roots():
        root = osp.abspath(root)
        if path.startswith(root + osp.sep):
            return osp.splitext(osp.relpath(path, root))[0]
    return osp.splitext(osp.basename(path))[0]
