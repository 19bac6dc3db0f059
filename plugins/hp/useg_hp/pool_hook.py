"""Builds HP's reference pools before training and refreshes the code pool during it."""
import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from mmengine.hooks import Hook
from torch.utils.data import DataLoader

from useg.registry import HOOKS

from .schedule import should_renew_pool


@HOOKS.register_module()
class HPReferencePoolHook(Hook):
    """Feature + code pools before training; code pool when :func:`should_renew_pool` of the
    index within the epoch (``runner.iter % len(train loader)``). Also hands the model the
    iteration and ``max_iters`` for λ.

    The pools come from a second, shuffled, ``drop_last`` loader over the training set with the
    training batch size (seeded by ``seed``), as the reference. A model without its own
    ``pool_rng`` gets ``np.random.default_rng(seed)``, so every rank draws the same tokens.

    Checkpoints carry the draw states (``hp_pool_state``: the token generator, the pool loader's
    generator, the augmentation generator); a resumed run restores them and keeps the saved pools
    (model buffers) instead of rebuilding them, so it continues exactly as an uninterrupted run.
    """

    priority = 'NORMAL'

    def __init__(self, seed=0):
        self.seed = seed
        self._loader = None
        self._resumed_state = None

    def loader(self, runner):
        if self._loader is None:
            train = runner.train_dataloader
            self._loader = DataLoader(train.dataset, batch_size=train.batch_size, shuffle=True,
                                      drop_last=True, num_workers=0, collate_fn=pseudo_collate,
                                      generator=torch.Generator().manual_seed(self.seed))
        return self._loader

    def batches(self, model, runner):
        for data_batch in self.loader(runner):
            yield model.data_preprocessor(data_batch, False)['inputs']

    def before_train(self, runner):
        model = getattr(runner.model, 'module', runner.model)
        model.max_iters = runner.max_iters
        if model.pool_rng is None:
            model.pool_rng = np.random.default_rng(self.seed)
        state, self._resumed_state = self._resumed_state, None
        if state is None:
            model.refresh_reference_pools(self.batches(model, runner), feature_pool=True)
            return
        model.pool_rng.bit_generator.state = state['pool_rng']
        self.loader(runner).generator.set_state(state['pool_loader'])
        model.augment_state = state['augment']

    def before_save_checkpoint(self, runner, checkpoint):
        model = getattr(runner.model, 'module', runner.model)
        checkpoint['hp_pool_state'] = dict(
            pool_rng=model.pool_rng.bit_generator.state,
            pool_loader=self.loader(runner).generator.get_state(), augment=model.augment_state)

    def after_load_checkpoint(self, runner, checkpoint):
        self._resumed_state = checkpoint.get('hp_pool_state')

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        model = getattr(runner.model, 'module', runner.model)
        model.iteration, model.max_iters = runner.iter, runner.max_iters
        index = runner.iter % len(runner.train_dataloader)
        if should_renew_pool(index, model.renew_interval):
            model.refresh_reference_pools(self.batches(model, runner), feature_pool=False)
