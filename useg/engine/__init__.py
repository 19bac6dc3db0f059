from .hooks import SafeCheckpointHook
from .optimizers import ModuleOptimWrapperConstructor
from .run_schedulers import LinearWarmupLR, RunMultiStepLR, RunPolyLR

__all__ = ['LinearWarmupLR', 'ModuleOptimWrapperConstructor', 'RunMultiStepLR', 'RunPolyLR',
           'SafeCheckpointHook']
