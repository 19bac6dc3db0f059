"""Stable keys for on-disk caches (features, KNN, pseudo labels)."""
import hashlib
import json
import os

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
