"""``ClusterbookHook``: install the cached stage-1 clusterbook before CAUSE head training."""
from mmengine.hooks import Hook

from useg.registry import HOOKS
from useg.utils import UsegError

from .clusterbook import resolve_clusterbook


@HOOKS.register_module()
class ClusterbookHook(Hook):
    """Before training: load ``cfg.clusterbook``'s cache file into ``model.set_codebook``.

    Every rank reads the same file, so the clusterbook is identical on all of them. Stops with the
    exact ``useg precompute`` command when the file of the current key (images,
    backbone, settings) is missing or unreadable.
    """

    priority = 'ABOVE_NORMAL'

    def before_train(self, runner):
        model = getattr(runner.model, 'module', runner.model)
        path, codebook = resolve_clusterbook(runner.cfg, getattr(runner.cfg, 'filename', None))
        if tuple(codebook.shape) != tuple(model.codebook.shape):
            raise UsegError(f'clusterbook {path} is {tuple(codebook.shape)}, the model needs '
                            f'{tuple(model.codebook.shape)} (num_codebook, backbone channels)')
        model.set_codebook(codebook)
        runner.logger.info(f'CAUSE clusterbook {tuple(codebook.shape)} from {path}')
