"""Hook running the key encoder's momentum (EMA) update before every training step."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from useg.registry import HOOKS


@HOOKS.register_module()
class MomentumEncoderHook(Hook):
    """Calls ``model.momentum_update()`` before each training iteration.

    The update uses the query weights left by the previous optimiser step, which is what MoCo's
    in-forward update (before the key forward) sees. Works with DDP-wrapped models.
    """

    priority = 'NORMAL'

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        model = runner.model.module if is_model_wrapper(runner.model) else runner.model
        model.momentum_update()
