"""``ClusterbookHook``: install the cached stage-1 clusterbook before CAUSE head training."""
import os.path as osp

from mmengine.hooks import Hook

from useg.registry import HOOKS
from useg.utils import UsegError

from .clusterbook import clusterbook_path, load_clusterbook, missing_clusterbook_message


@HOOKS.register_module()
class ClusterbookHook(Hook):
    """Before training: load ``cfg.clusterbook``'s cache file into ``model.set_codebook``.

    Stops with the exact ``tools/precompute_clusterbook.py`` command when the file is missing.
    """

    priority = 'ABOVE_NORMAL'

    def before_train(self, runner):
        model = getattr(runner.model, 'module', runner.model)
        path = clusterbook_path(runner.cfg, model.backbone)
        if not osp.isfile(path):
            raise UsegError(missing_clusterbook_message(path, getattr(runner.cfg, 'filename', None)))
        codebook = load_clusterbook(path)
        if tuple(codebook.shape) != tuple(model.codebook.shape):
            raise UsegError(f'clusterbook {path} is {tuple(codebook.shape)}, the model needs '
                            f'{tuple(model.codebook.shape)} (num_codebook, backbone channels)')
        model.set_codebook(codebook)
        runner.logger.info(f'CAUSE clusterbook {tuple(codebook.shape)} from {path}')
