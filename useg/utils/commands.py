"""How a message names a command: ``python tools/<tool>.py`` in a checkout, else ``useg ...``."""
import os.path as osp

PACKAGE_DIR = osp.dirname(osp.dirname(osp.abspath(__file__)))
CHECKOUT = osp.dirname(PACKAGE_DIR)


def in_checkout(tool):
    """Whether ``tools/<tool>`` of a source checkout sits beside the imported ``useg``."""
    return osp.isfile(osp.join(CHECKOUT, 'setup.py')) and osp.isfile(osp.join(CHECKOUT, 'tools', tool))


def tool_command(tool, arguments=''):
    """The command line that runs ``tool`` (e.g. ``'precompute_knn.py'``) with ``arguments``:
    ``python tools/precompute_knn.py ...`` in a checkout, else ``useg precompute-knn ...`` (a tool
    with no ``useg`` command of its own, such as a plugin's precompute, is ``useg precompute``)."""
    if in_checkout(tool):
        command = f'python tools/{tool}'
    else:
        from useg.cli import COMMANDS
        module = osp.splitext(tool)[0]
        names = [name for name, (target, _, _) in COMMANDS.items() if target == module]
        command = f'useg {names[0] if names else "precompute"}'
    return f'{command} {arguments}'.rstrip()
