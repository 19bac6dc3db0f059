from .atomic_write import atomic_path
from .cache import cache_key, cache_root, file_digest, image_list_digest, resolve_cache_dir
from .checkpoint import load_safe_checkpoint
from .config_tree import config_seed, walk
from .distributed import init_distributed
from .ema import ema_update
from .errors import UsegError, explain, run_cli
from .labels import IGNORE_INDEX

__all__ = ['IGNORE_INDEX', 'UsegError', 'atomic_path', 'cache_key', 'cache_root', 'config_seed',
           'ema_update', 'explain', 'file_digest', 'init_distributed', 'image_list_digest',
           'load_safe_checkpoint', 'resolve_cache_dir', 'run_cli', 'walk']
