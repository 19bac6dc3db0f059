from .cache import cache_key, file_digest
from .checkpoint import load_safe_checkpoint
from .ema import ema_update
from .errors import UsegError, explain, run_cli

__all__ = ['UsegError', 'cache_key', 'ema_update', 'explain', 'file_digest',
           'load_safe_checkpoint', 'run_cli']
