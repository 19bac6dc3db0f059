from .config import (add_runner_arguments, apply_own_data, enable_amp, finalize_config, load_config,
                     load_runner_config, resolve_variables, set_data_root)
from useg.utils import UsegError, explain, load_safe_checkpoint, run_cli
from .inference import init_segmentor, segment_images
from .runner import build_runner, check_checkpoint, test, train

__all__ = ['UsegError', 'apply_own_data', 'finalize_config', 'resolve_variables', 'add_runner_arguments', 'load_runner_config', 'build_runner', 'check_checkpoint', 'enable_amp', 'explain', 'init_segmentor',
           'load_config', 'load_safe_checkpoint', 'run_cli', 'segment_images', 'set_data_root',
           'test', 'train']
