"""One optimiser per model attribute (head, probes, ...), as the papers train them."""
from mmengine.logging import print_log
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict

from useg.registry import OPTIM_WRAPPER_CONSTRUCTORS


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class ModuleOptimWrapperConstructor:
    """Builds an ``OptimWrapperDict`` with one wrapper per named sub-module.

    Config::

        optim_wrapper = dict(
            constructor='ModuleOptimWrapperConstructor',
            head=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-4)),
            cluster_probe=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=5e-3)))

    Each key names a model attribute; an attribute that is ``None`` (a probe the config turned off)
    is skipped. Trainable parameters that no optimiser covers are reported.
    """

    def __init__(self, optim_wrapper_cfg, paramwise_cfg=None):
        self.optim_wrapper_cfg = optim_wrapper_cfg
        self.paramwise_cfg = paramwise_cfg

    def __call__(self, model):
        model = getattr(model, 'module', model)
        wrappers, covered = {}, set()
        for name, cfg in self.optim_wrapper_cfg.items():
            if not hasattr(model, name):
                raise AttributeError(f'optim_wrapper entry {name!r} names no attribute of '
                                     f'{type(model).__name__}')
            module = getattr(model, name)
            if module is None:
                print_log(f'optim_wrapper entry {name!r} skipped: the model has no {name}',
                          logger='current')
                continue
            paramwise_cfg = cfg.pop('paramwise_cfg', self.paramwise_cfg) if hasattr(cfg, 'pop') \
                else self.paramwise_cfg
            wrappers[name] = DefaultOptimWrapperConstructor(cfg, paramwise_cfg)(module)
            covered.update(id(p) for p in module.parameters())
        uncovered = [n for n, p in model.named_parameters() if p.requires_grad and id(p) not in covered]
        if uncovered:
            print_log(f'trainable parameters without an optimiser (they stay fixed): {uncovered}',
                      logger='current', level=30)
        return OptimWrapperDict(**wrappers)
