"""Stable keys and default locations of on-disk caches (features, KNN, pseudo labels).

Cache directories: an absolute ``cache_dir`` is used as is; a relative one (or none) lives under
the cache root, ``$USEG_CACHE`` when set, else ``<work_dir>/cache`` (never the current directory).
"""
import hashlib
import json
import os
import os.path as osp

CACHE_ROOT_ENV = 'USEG_CACHE'

_DIGESTS = {}


def cache_key(params, length=16):
    """Hex digest of ``params`` (a JSON-serialisable dict; key order does not matter)."""
    text = json.dumps(params, sort_keys=True, default=str, separators=(',', ':'))
    return hashlib.sha1(text.encode()).hexdigest()[:length]


def file_digest(path, length=16):
    """SHA-1 of a file's bytes (memoised per path, size and mtime); ``None`` for ``None``."""
    if path is None:
        return None
    stat = os.stat(path)
    memo = (os.path.abspath(path), stat.st_size, stat.st_mtime_ns)
    if memo not in _DIGESTS:
        digest = hashlib.sha1()
        with open(path, 'rb') as file:
            for block in iter(lambda: file.read(1 << 20), b''):
                digest.update(block)
        _DIGESTS[memo] = digest.hexdigest()
    return _DIGESTS[memo][:length]


def image_list_digest(paths, length=16):
    """Digest of an ordered list of files: each absolute path, size and mtime (ns), in order.

    Adding, removing, reordering or replacing (new size or mtime) an image changes it.
    """
    digest = hashlib.sha1()
    for path in paths:
        stat = os.stat(path)
        digest.update(f'{osp.abspath(path)}\0{stat.st_size}\0{stat.st_mtime_ns}\n'.encode())
    return digest.hexdigest()[:length]


def cache_root(work_dir=None):
    """``$USEG_CACHE`` when set, else ``<work_dir>/cache``."""
    root = os.environ.get(CACHE_ROOT_ENV)
    if root:
        return root
    if work_dir is None:
        raise ValueError(f'no cache root: set ${CACHE_ROOT_ENV} or give a work dir')
    return osp.join(work_dir, 'cache')


def resolve_cache_dir(cache_dir, work_dir=None, default='cache'):
    """Where a cache lives: ``cache_dir`` if absolute, else under :func:`cache_root`.

    ``default`` names the sub-directory when ``cache_dir`` is None (e.g. ``'knn'``).
    """
    if cache_dir is not None and osp.isabs(cache_dir):
        return cache_dir
    return osp.join(cache_root(work_dir), cache_dir or default)
