"""``PriMaPsPrototypeInitHook``: PCA + batch-wise cosine k-means initialisation of the K prototypes.

Reference: stage 2 runs the frozen backbone over the first 93 batches of the
shuffled training loader (centre crops, no flip), takes ``torch.pca_lowrank(X, q=2K, niter=200)``
of all patch features (centred) and uses ``V[:, :K]^T`` as prototypes (``weight_g = 1``), then
trains them for 2 epochs with the hard cosine k-means loss ``-mean_pixels max_k cos(f, v_k)``
(float64, patch resolution, Adam lr 5e-3). PriMaPs-EM then copies the result into the student and
the teacher. "+SotA+PriMaPs" instead starts from the SotA model's cluster centres.
"""
import copy
import itertools

import torch
from mmengine.hooks import Hook

from useg.engine import is_fresh_start
from useg.models import cluster_probe_loss, cosine_similarity_map
from useg.registry import HOOKS


def pca_prototypes(feats, num_prototypes, niter=200):
    """``feats (N, C)`` -> ``(K, C)`` orthonormal principal directions, ``V[:, :K]^T``.

    ``torch.pca_lowrank(feats, q=2K, niter=niter)`` (centred, as the reference); ``q`` is capped by
    ``min(N, C)``.
    """
    if feats.ndim != 2:
        raise ValueError(f'feats must be (N, C), got {tuple(feats.shape)}')
    if num_prototypes > min(feats.shape):
        raise ValueError(f'{num_prototypes} prototypes need at least that many features and '
                         f'channels, got {tuple(feats.shape)}')
    q = min(2 * num_prototypes, *feats.shape)
    _, _, v = torch.pca_lowrank(feats, q=q, center=True, niter=niter)
    return v[:, :num_prototypes].T.contiguous()


def cosine_kmeans_loss(prototypes, feats):
    """Hard cosine k-means loss ``-mean_pixels cos(f, v_argmax)`` in float64.

    The core cluster-probe objective (:func:`useg.models.cluster_probe_loss`, hard assignment)
    with ``prototypes (K, C)`` as centroids; ``feats (B, C, h, w)`` or ``(N, C)``. Features and
    prototypes are L2-normalised (the prototypes' norm is ignored: the reference's ``weight_g``
    is 1 in every forward); the one-hot assignment carries no gradient.
    """
    if feats.ndim == 2:
        feats = feats.T[None, :, :, None]  # (1, C, N, 1)
    return cluster_probe_loss(cosine_similarity_map(feats.double(), prototypes.double()))[0]


def cosine_kmeans_step(prototypes, feats, optimizer):
    """One batch-wise k-means step: loss on ``feats``, backward, ``optimizer.step()``.

    ``prototypes`` is a leaf ``(K, C)`` tensor with ``requires_grad`` trained by ``optimizer``
    (the reference: Adam, lr 5e-3). Returns the loss before the step.
    """
    optimizer.zero_grad()
    loss = cosine_kmeans_loss(prototypes, feats)
    loss.backward()
    optimizer.step()
    return loss.detach()


def assign_prototypes(module, prototypes):
    """Copy ``prototypes (K, C)`` into a prototype module (``WeightNormPrototypes``: ``weight_v``
    with ``g = 1``; core ``ClusterProbe``: ``clusters``) through its ``set_prototypes``."""
    module.set_prototypes(prototypes)


@HOOKS.register_module()
class PriMaPsPrototypeInitHook(Hook):
    """Before training: initialise the prototypes of ``targets`` (model attributes).

    With ``init_from=None`` (PriMaPs-EM, Baseline), in this order:

    1. encode (frozen backbone + frozen head: ``model.encode(inputs)[1]``) the first
       ``pca_batches`` batches of a shuffled training loader (``drop_last``; ``pipeline`` replaces
       the training pipeline, or ``drop_transforms`` removes transform types from it, e.g. the
       pseudo-label loading and the flip, so the PCA sees plain centre crops);
    2. :func:`pca_prototypes` of all patch codes, ``q = 2K``, ``niter = pca_iterations``;
    3. ``kmeans_epochs`` epochs of :func:`cosine_kmeans_step` over that loader (one Adam step,
       lr ``kmeans_lr``, per batch; batches reshuffled every epoch);
    4. copy into every target (``WeightNormPrototypes``: ``weight_v``, ``weight_g = 1``; core
       ``ClusterProbe``: ``clusters``).

    The Baseline configs use ``kmeans_epochs=0``: their run *is* the k-means training.
    With ``init_from=CHECKPOINT`` (+SotA+PriMaPs) the ``init_key`` tensor ``(K, D)`` of that useg
    checkpoint (STEGO's ``cluster_probe.clusters``) is copied instead; no PCA, no k-means.

    Skipped when resuming (``runner.iter > 0``) or when the runner loaded a checkpoint
    (``load_from``), whose prototypes are kept.

    Args:
        targets: attribute names to initialise; missing or None attributes are skipped.
        pca_batches: batches for the PCA (reference ``num_batch_pcainit + 1`` = 93); None = all.
        pca_iterations: ``niter`` of ``torch.pca_lowrank`` (reference 200).
        kmeans_epochs: k-means epochs (reference 2).
        kmeans_lr: Adam learning rate (reference ``--cluster-lr`` 5e-3).
        pipeline: data pipeline for the init loader (None: the training pipeline).
        drop_transforms: transform types removed from the training pipeline (``pipeline=None``).
        batch_size: init loader batch size (None keeps the training batch size).
        init_from: a useg checkpoint to copy prototypes from instead.
        init_key: state-dict key of the ``(K, D)`` prototypes in ``init_from``.
    """
    priority = 'NORMAL'

    def __init__(self, targets=('student', 'teacher'), pca_batches=93, pca_iterations=200,
                 kmeans_epochs=2, kmeans_lr=5e-3, pipeline=None,
                 drop_transforms=(), batch_size=None, init_from=None,
                 init_key='cluster_probe.clusters'):
        self.targets = tuple(targets)
        self.pca_batches = pca_batches
        self.pca_iterations = pca_iterations
        self.kmeans_epochs = kmeans_epochs
        self.kmeans_lr = kmeans_lr
        self.pipeline = pipeline
        self.drop_transforms = tuple(drop_transforms)
        self.batch_size = batch_size
        self.init_from = init_from
        self.init_key = init_key

    # ------------------------------------------------------------------------------ helpers
    @staticmethod
    def should_skip(runner):
        """Resuming (``iter > 0``) or a checkpoint was loaded into the model."""
        return not is_fresh_start(runner)

    def _modules(self, model):
        modules = [(name, getattr(model, name, None)) for name in self.targets]
        modules = [(name, module) for name, module in modules if module is not None]
        if not modules:
            raise AttributeError(f'the model has none of the prototype targets {self.targets}')
        shapes = {(module.num_clusters, module.in_channels) for _, module in modules}
        if len(shapes) != 1:
            raise ValueError(f'prototype targets disagree on (K, D): {sorted(shapes)}')
        return modules, shapes.pop()

    def load_prototypes(self, shape):
        from useg.utils import UsegError, load_safe_checkpoint
        checkpoint = load_safe_checkpoint(self.init_from)
        state = checkpoint.get('state_dict', checkpoint)
        if self.init_key not in state:
            raise UsegError(f'checkpoint {self.init_from} has no {self.init_key!r}')
        prototypes = state[self.init_key].float()
        prototypes = prototypes.reshape(prototypes.shape[0], -1)
        if tuple(prototypes.shape) != tuple(shape):
            raise UsegError(f'{self.init_key} of {self.init_from} is {tuple(prototypes.shape)}, '
                            f'the model needs (K, D) = {tuple(shape)}')
        return prototypes

    def build_loader(self, runner):
        cfg = copy.deepcopy(runner.cfg.train_dataloader)
        cfg['sampler'] = dict(type='DefaultSampler', shuffle=True)
        cfg['drop_last'] = True
        cfg.pop('batch_sampler', None)
        if self.batch_size is not None:
            cfg['batch_size'] = self.batch_size
        if self.pipeline is not None:
            cfg['dataset']['pipeline'] = copy.deepcopy(self.pipeline)
        elif self.drop_transforms:
            cfg['dataset']['pipeline'] = [t for t in cfg['dataset']['pipeline']
                                          if t.get('type') not in self.drop_transforms]
        return runner.build_dataloader(cfg, seed=runner.seed)

    @staticmethod
    def _encode(model, data_batch):
        data = model.data_preprocessor(data_batch, False)
        with torch.no_grad():
            return model.encode(data['inputs'])[1].float()

    def compute_prototypes(self, model, loader, num_prototypes, logger=None):
        """Steps 1-3 of the class docstring; returns ``(K, D)`` on the CPU."""
        was_training = model.training
        model.eval()
        try:
            if hasattr(loader.sampler, 'set_epoch'):
                loader.sampler.set_epoch(0)
            feats = []
            for data_batch in itertools.islice(loader, self.pca_batches):
                code = self._encode(model, data_batch)
                feats.append(code.permute(0, 2, 3, 1).reshape(-1, code.shape[1]).cpu())
            if not feats:
                raise RuntimeError('the prototype initialisation loader yielded no batch '
                                   '(fewer images than one batch with drop_last?)')
            num_batches = len(feats)
            feats = torch.cat(feats)
            num_feats = feats.shape[0]
            device = next(model.parameters()).device
            prototypes = pca_prototypes(feats.to(device), num_prototypes, self.pca_iterations)
            del feats
            if logger is not None:
                logger.info(f'PriMaPs prototype init: PCA of {num_feats} codes from {num_batches} '
                            f'batches -> {tuple(prototypes.shape)}')
            prototypes = prototypes.clone().requires_grad_(True)
            optimizer = torch.optim.Adam([prototypes], lr=self.kmeans_lr)
            for epoch in range(self.kmeans_epochs):
                if hasattr(loader.sampler, 'set_epoch'):
                    loader.sampler.set_epoch(epoch + 1)
                losses = [cosine_kmeans_step(prototypes, self._encode(model, batch), optimizer)
                          for batch in loader]
                if logger is not None and losses:
                    logger.info(f'PriMaPs prototype init: k-means epoch {epoch + 1}/'
                                f'{self.kmeans_epochs}, mean loss '
                                f'{torch.stack(losses).mean().item():.4f}')
        finally:
            model.train(was_training)
        return prototypes.detach().cpu()

    # ------------------------------------------------------------------------------ hook
    def before_train(self, runner):
        if self.should_skip(runner):
            runner.logger.info('PriMaPs prototype init skipped (resumed or loaded checkpoint)')
            return
        model = getattr(runner.model, 'module', runner.model)
        modules, shape = self._modules(model)
        if self.init_from is not None:
            prototypes = self.load_prototypes(shape)
            runner.logger.info(f'PriMaPs prototypes from {self.init_key} of {self.init_from}')
        else:
            prototypes = self.compute_prototypes(model, self.build_loader(runner), shape[0],
                                                 runner.logger)
        from mmengine.dist import broadcast, is_distributed
        if is_distributed():  # every rank saw its own shard: keep rank 0's result
            device = next(model.parameters()).device
            prototypes = prototypes.to(device)
            broadcast(prototypes, 0)
        for _, module in modules:
            assign_prototypes(module, prototypes)
        runner.logger.info(f'PriMaPs prototypes copied into {[name for name, _ in modules]}')
