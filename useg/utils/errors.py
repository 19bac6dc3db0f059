"""User-facing errors: one clear line instead of a traceback wall in the command-line tools."""
import os
import re
import sys


class UsegError(Exception):
    """An error caused by the user's input (config, paths, checkpoint), explained in one line."""


_UNKNOWN_TYPE = re.compile(r"[`'\"]?([\w.]+)[`'\"]? is not in the (\w+)::([\w ]+?) registry")


def explain(error):
    """One-line explanation of a known user error, or None for a genuine bug."""
    message = error.args[0] if len(error.args) == 1 and isinstance(error.args[0], str) else str(error)
    if isinstance(error, (UsegError, FileNotFoundError)):
        if 'Original Traceback' in message:  # re-raised from a DataLoader worker: its last line
            return message.strip().splitlines()[-1].split(': ', 1)[-1]
        return message
    if isinstance(error, OSError):
        from .disk_space import free_bytes, human_bytes, is_disk_full
        if is_disk_full(error):  # e.g. a cache write: its partial file is removed at the next run
            where = error.filename or 'a file'
            return (f'disk full writing {where} ({human_bytes(free_bytes(where if error.filename else "."))} '
                    f'free on that disk): free space and run the command again')
    if isinstance(error, KeyError):
        match = _UNKNOWN_TYPE.search(message)
        if match:
            return _unknown_type(*match.groups())
        if 'is not registered in the' in message:
            return message
    if isinstance(error, TypeError) and 'unexpected keyword argument' in message:
        return f'config error: {message}'
    return None


def _unknown_type(name, scope, registry_name):
    from mmengine import registry as mmengine_registry

    import useg.registry as useg_registry
    from useg.plugins import unknown_type_message
    for module in (useg_registry, mmengine_registry):
        for value in vars(module).values():
            if getattr(value, 'name', None) == registry_name and getattr(value, 'scope', None) == scope:
                return unknown_type_message(value, name)
    return f'{name!r} is not registered in the {scope}::{registry_name} registry'


DEBUG = {'enabled': False}  # --debug: tracebacks instead of one-line errors


def apply_tool_flags(debug=False, threads=None):
    """``--debug`` (keep tracebacks) and ``--threads N`` (``torch.set_num_threads``; default:
    the ``USEG_THREADS`` environment variable, else torch's own choice)."""
    DEBUG['enabled'] = DEBUG['enabled'] or bool(debug)
    threads = threads or os.environ.get('USEG_THREADS')
    if threads:
        import torch
        torch.set_num_threads(int(threads))


def add_tool_flags(parser):
    """``--debug`` and ``--threads N``, which every tool accepts (applied by ``run_cli``, the
    ``useg`` command and the runner tools), added to ``parser``'s options and help."""
    parser.add_argument('--debug', action='store_true',
                        help='show full tracebacks instead of one-line errors')
    parser.add_argument('--threads', type=int,
                        help='CPU threads for torch (default: $USEG_THREADS, else torch decides)')
    return parser


def take_tool_flags(argv):
    """Remove ``--debug`` / ``--threads N`` from ``argv`` (every tool accepts them) and apply them."""
    debug = '--debug' in argv
    threads = None
    if '--threads' in argv and argv.index('--threads') + 1 < len(argv):
        index = argv.index('--threads')
        threads = argv[index + 1]
        del argv[index:index + 2]
    argv[:] = [arg for arg in argv if arg != '--debug']
    apply_tool_flags(debug, threads)


def run_cli(main):
    """Run a tool's ``main()``; known user errors print ``error: ...`` and exit with status 1
    (with ``--debug`` they keep their traceback). A process group the tool joined is left after
    ``main()`` returns."""
    take_tool_flags(sys.argv)
    try:
        result = main()
    except Exception as error:  # noqa: BLE001 - re-raised unless it is a known user error
        message = explain(error)
        if message is None or DEBUG['enabled']:
            raise
        print(f'error: {message}', file=sys.stderr)
        sys.exit(1)
    finally:
        DEBUG['enabled'] = False
    from .distributed import close_distributed
    close_distributed()
    return result
