"""One-line messages for a full disk: which file, how much space it needs, how much is free."""
import errno
import os.path as osp
import shutil


def human_bytes(count):
    """``1.5 MB``-style size of ``count`` bytes."""
    for unit in ('B', 'kB', 'MB', 'GB'):
        if count < 1024 or unit == 'GB':
            return f'{count:.0f} {unit}' if unit == 'B' else f'{count:.1f} {unit}'
        count /= 1024
    return f'{count:.1f} TB'


def free_bytes(path):
    """Free bytes on the disk that holds ``path`` (or its nearest existing parent)."""
    folder = osp.abspath(path)
    while not osp.exists(folder):
        folder = osp.dirname(folder)
    return shutil.disk_usage(folder).free


def is_disk_full(error):
    """Whether ``error`` is an ``OSError`` of a full disk or quota."""
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


def disk_full_message(path, needed, advice='free space and run again'):
    """``disk full writing PATH: it needs about N, F free on that disk; ADVICE``."""
    return (f'disk full writing {path}: it needs about {human_bytes(needed)}, '
            f'{human_bytes(free_bytes(osp.dirname(path) or "."))} free on that disk; {advice}')
