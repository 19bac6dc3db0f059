"""``DepthMapsHook``: stop a DepthG run at the start when a training image has no depth map."""
from mmengine.hooks import Hook

from useg.registry import HOOKS
from .depth_maps import check_depth_maps


@HOOKS.register_module()
class DepthMapsHook(Hook):
    """Before training: every training image of ``cfg.depth_maps`` has its depth file, else a
    one-line error with the ``useg precompute`` command."""

    priority = 'ABOVE_NORMAL'

    def before_train(self, runner):
        check_depth_maps(runner.cfg, getattr(runner.cfg, 'filename', None))
