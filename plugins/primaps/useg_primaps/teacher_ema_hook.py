"""``PriMaPsTeacherEMAHook``: the PriMaPs-EM teacher update after the optimiser steps."""
from mmengine.hooks import Hook

from useg.registry import HOOKS
from useg.utils import ema_update

from .ema_schedule import teacher_decay


@HOOKS.register_module()
class PriMaPsTeacherEMAHook(Hook):
    """After iteration ``i > 0`` with ``i % interval == 0``: teacher <- EMA(student).

    ``i`` is mmengine's 0-based iteration (Lightning's ``global_step``); update number
    ``k = i // interval`` uses :func:`teacher_decay` (two hard copies, then
    ``min(1 - 1/k, max_decay)``), so the schedule survives resuming without extra state.

    Why not mmengine's ``EMAHook``: it averages the *whole* model into a shadow copy that is swapped
    in for validation and checkpoints, its momentum has no two-copy warm-up, and it updates every
    iteration. Here teacher and student are two live modules of one model used in the same step,
    and only the student's prototypes are averaged into the teacher.

    Args:
        interval: iterations between updates (reference ``--ema-update-step 10``).
        max_decay: decay cap (reference ``--ema-decay 0.98``).
        teacher, student: model attribute names.
    """
    priority = 'LOW'

    def __init__(self, interval=10, max_decay=0.98, teacher='teacher', student='student'):
        if interval < 1:
            raise ValueError(f'interval must be >= 1, got {interval}')
        self.interval = interval
        self.max_decay = max_decay
        self.teacher = teacher
        self.student = student

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        step = runner.iter
        if step == 0 or step % self.interval:
            return
        model = getattr(runner.model, 'module', runner.model)
        ema_update(getattr(model, self.teacher), getattr(model, self.student),
                   teacher_decay(step // self.interval, self.max_decay))
