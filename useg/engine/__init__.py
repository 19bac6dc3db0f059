from .hooks import SafeCheckpointHook
from .optimizers import ModuleOptimWrapperConstructor

__all__ = ['ModuleOptimWrapperConstructor', 'SafeCheckpointHook']
