from .module_optim_wrapper_constructor import ModuleOptimWrapperConstructor

__all__ = ['ModuleOptimWrapperConstructor']
