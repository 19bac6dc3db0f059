from .hooks import SafeCheckpointHook
from .model_wrapper import UsegDistributedDataParallel
from .optimizers import ModuleOptimWrapperConstructor
from .runner import UsegRunner

__all__ = ['ModuleOptimWrapperConstructor', 'SafeCheckpointHook', 'UsegDistributedDataParallel',
           'UsegRunner']
