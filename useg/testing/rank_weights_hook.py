"""Imported through ``custom_imports`` by ``distributed_config``: every rank saves its final weights."""
import os.path as osp

import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook

from useg.registry import HOOKS


@HOOKS.register_module()
class RankWeightsTestHook(Hook):
    """After training, rank ``r`` writes its model's state dict to ``<work_dir>/rank<r>.pth``."""

    def after_train(self, runner):
        model = getattr(runner.model, 'module', runner.model)
        torch.save(model.state_dict(), osp.join(runner.work_dir, f'rank{get_rank()}.pth'))
