from .hooks import SafeCheckpointHook
from .model_wrapper import UsegDistributedDataParallel
from .optimizers import ModuleOptimWrapperConstructor
from .run_schedulers import LinearWarmupLR, RunMultiStepLR, RunPolyLR
from .runner import UsegRunner

__all__ = ['LinearWarmupLR', 'ModuleOptimWrapperConstructor', 'RunMultiStepLR', 'RunPolyLR',
           'SafeCheckpointHook', 'UsegDistributedDataParallel', 'UsegRunner']
