from .cache import cache_key, file_digest

__all__ = ['cache_key', 'file_digest']
