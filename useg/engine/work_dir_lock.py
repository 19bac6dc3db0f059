"""One training per work dir: a lock file naming the process that holds it.

``<work_dir>/train.lock`` holds ``{pid, host, command}``. A second training on the same work dir
refuses in one line naming the first's process; a lock whose process no longer runs (killed,
crashed) is stale and taken over. While holding the lock, leftover ``*.tmp*`` files of
interrupted checkpoint writes in the work dir are removed.
"""
import contextlib
import glob
import json
import os
import os.path as osp
import socket
import sys
import warnings

from useg.utils import UsegError

LOCK_FILE = 'train.lock'


def process_alive(pid):
    """Whether process ``pid`` runs on this machine (one we may not signal counts as running)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder(path):
    """The lock's ``{pid, host, command}``, or None when it cannot be read (half written)."""
    try:
        with open(path) as file:
            return json.load(file)
    except (OSError, ValueError):
        return None


def _is_stale(holder):
    return holder is None or (holder.get('host') == socket.gethostname()
                              and not process_alive(int(holder.get('pid', -1))))


def acquire_work_dir_lock(work_dir):
    """Create ``<work_dir>/train.lock`` for this process; returns its path.

    Raises a one-line ``UsegError`` when a running training holds it; takes over a stale one.
    """
    os.makedirs(work_dir, exist_ok=True)
    path = osp.join(work_dir, LOCK_FILE)
    record = json.dumps(dict(pid=os.getpid(), host=socket.gethostname(),
                             command=' '.join(sys.argv)))
    for _ in range(2):
        try:
            descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = _holder(path)
            if not _is_stale(holder):
                where = '' if holder['host'] == socket.gethostname() else f' on {holder["host"]}'
                raise UsegError(
                    f'work dir {work_dir} is in use by training process {holder["pid"]}{where} '
                    f'({holder.get("command", "?")}): wait for it to end, or pass another '
                    f'--work-dir (delete {path} if that process is gone)') from None
            warnings.warn(f'{path}: process {holder and holder.get("pid")} is gone; taking over '
                          f'its work dir', RuntimeWarning, stacklevel=2)
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
            continue
        with os.fdopen(descriptor, 'w') as file:
            file.write(record)
        return path
    raise UsegError(f'could not lock the work dir {work_dir}: another process took {path}')


def release_work_dir_lock(path):
    """Remove the lock at ``path`` if this process holds it."""
    holder = _holder(path)
    if holder is not None and holder.get('pid') == os.getpid() and \
            holder.get('host') == socket.gethostname():
        with contextlib.suppress(FileNotFoundError):
            os.remove(path)


def remove_partial_writes(work_dir):
    """Delete ``*.tmp*`` files left in ``work_dir`` by interrupted checkpoint / record writes
    (call while holding the lock); returns their paths."""
    leftovers = [path for path in glob.glob(osp.join(glob.escape(work_dir), '*.tmp*'))
                 if osp.isfile(path)]
    for path in leftovers:
        os.remove(path)
    return leftovers


@contextlib.contextmanager
def work_dir_lock(work_dir):
    """Hold the training lock of ``work_dir`` (rank 0 of a launched job only) for the block,
    after removing partial writes of an interrupted run."""
    rank = int(os.environ.get('RANK', os.environ.get('SLURM_PROCID', 0)))
    if rank != 0:
        yield None
        return
    path = acquire_work_dir_lock(work_dir)
    try:
        removed = remove_partial_writes(work_dir)
        if removed:
            warnings.warn(f'removed {len(removed)} partial file(s) of an interrupted write in '
                          f'{work_dir}: {", ".join(map(osp.basename, removed))}', RuntimeWarning,
                          stacklevel=3)
        yield path
    finally:
        release_work_dir_lock(path)
