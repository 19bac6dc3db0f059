"""How a message names a command: ``python tools/<tool>.py`` in a checkout, else ``useg ...``."""
import os.path as osp

PACKAGE_DIR = osp.dirname(osp.dirname(osp.abspath(__file__)))
CHECKOUT = osp.dirname(PACKAGE_DIR)


def in_checkout(tool):
    """Whether ``tools/<tool>`` of a source checkout sits beside the imported ``useg``."""
    return osp.isfile(osp.join(CHECKOUT, 'setup.py')) and osp.isfile(osp.join(CHECKOUT, 'tools', tool))


def tool_command(tool, arguments=''):
    """The command line that runs ``tool`` (e.g. ``'infer.py'``) with ``arguments``:
    ``python tools/infer.py ...`` in a checkout, else ``useg infer ...``."""
    if in_checkout(tool):
        command = f'python tools/{tool}'
    else:
        from useg.cli import COMMANDS
        module = osp.splitext(tool)[0]
        names = [name for name, (target, _, _) in COMMANDS.items() if target == module]
        command = f'useg {names[0] if names else module.replace("_", "-")}'
    return f'{command} {arguments}'.rstrip()
