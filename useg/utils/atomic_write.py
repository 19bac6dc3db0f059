"""Write a file so that an interruption never leaves half of it under its final name."""
import os
import os.path as osp
from contextlib import contextmanager


@contextmanager
def atomic_path(path):
    """Yield a temporary path beside ``path`` (same extension) to write; renamed to ``path``
    when the block ends without error, removed otherwise."""
    temporary = f'{path}.tmp{os.getpid()}{osp.splitext(path)[1]}'
    try:
        yield temporary
        os.replace(temporary, path)
    finally:
        if osp.exists(temporary):
            os.remove(temporary)
