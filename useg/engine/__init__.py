from .hooks import ClusterKMeansHook, SafeCheckpointHook
from .model_wrapper import UsegDistributedDataParallel
from .optimizers import ModuleOptimWrapperConstructor
from .run_state import is_fresh_start
from .run_schedulers import LinearWarmupLR, RunMultiStepLR, RunPolyLR
from .runner import UsegRunner

__all__ = ['ClusterKMeansHook', 'LinearWarmupLR', 'ModuleOptimWrapperConstructor', 'RunMultiStepLR',
           'RunPolyLR', 'SafeCheckpointHook', 'UsegDistributedDataParallel', 'UsegRunner',
           'is_fresh_start']
