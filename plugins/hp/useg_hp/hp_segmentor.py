"""HP: a frozen DINO backbone, a projection head trained on hidden positives, an EMA head, probes."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision.transforms import v2 as T

from useg.models import UnsupervisedSegmentor
from useg.registry import MODELS
from useg.utils import ema_update

from .attention import features_and_attention_logits
from .locality import local_propagation_weights, propagate_locally
from .reference_pool import build_reference_pool, draw_pool_indices, draw_token_indices
from .schedule import hp_lambda


def tokens(x):
    """``(B, C, h, w)`` -> ``(B·h·w, C)``, b-major, row-major tokens."""
    return x.permute(0, 2, 3, 1).reshape(-1, x.shape[1])


@MODELS.register_module()
class HPSegmentor(UnsupervisedSegmentor):
    """:class:`UnsupervisedSegmentor` whose head is trained by :class:`HiddenPositiveLoss`.

    A training step draws the dropout masks in the reference's order: head linear, EMA linear,
    head nonlinear, EMA nonlinear (then the EMA update), features, EMA code, local code; the
    augmented view repeats the first six. ``λ`` follows :func:`hp_lambda` of ``self.iteration``
    and ``self.max_iters`` (set by :class:`HPReferencePoolHook`).

    Args:
        head: ``ProjectionHead`` config. projector_channels: output of the ``Linear(D, ·)``
            projector (None: D). hidden_positive_loss: ``HiddenPositiveLoss`` config.
        consistency_weight: weight of :class:`HPConsistencyLoss`. ema_momentum: EMA decay.
        pool_size, renew_interval, warmup, sigma: HP's pool size, code-pool refresh interval,
            λ warm-up and locality σ. pool_dropout: build pools with dropout (the reference).
        half_precision_pool: store pools in float16 (the reference).
        augment_normalised: photometric augmentation of the normalised tensor (the reference)
            instead of the [0, 1] image.
    """

    def __init__(self, backbone, num_classes, head, cluster_probe=None, linear_probe=None,
                 projector_channels=None, hidden_positive_loss=dict(type='HiddenPositiveLoss'),
                 consistency_weight=0.05, ema_momentum=0.99, pool_size=2048, renew_interval=100,
                 warmup=1000, sigma=28.0, pool_dropout=False, half_precision_pool=False,
                 augment_normalised=False, test_cfg=None, **kwargs):
        super().__init__(backbone, num_classes, head=head, cluster_probe=cluster_probe,
                         linear_probe=linear_probe, test_cfg=dict(dict(flip=False, alpha=2),
                                                                  **(test_cfg or {})), **kwargs)
        self.ema_head = copy.deepcopy(self.head).requires_grad_(False)
        dim = self.code_channels
        self.projector = nn.Linear(dim, projector_channels or dim)
        self.hidden_positive_loss = MODELS.build(hidden_positive_loss)
        self.consistency_loss = MODELS.build(dict(type='HPConsistencyLoss'))
        self.consistency_weight = consistency_weight
        self.ema_momentum = ema_momentum
        self.pool_size = pool_size
        self.renew_interval = renew_interval
        self.warmup = warmup
        self.sigma = sigma
        self.pool_dropout = pool_dropout
        self.half_precision_pool = half_precision_pool
        self.augment_normalised = augment_normalised
        self.iteration, self.max_iters = 0, 1
        self.pool_rng = None
        feat_dim = self.head.in_channels
        self.register_buffer('pool_feats', torch.zeros(pool_size, feat_dim))
        self.register_buffer('pool_code', torch.zeros(pool_size, dim))
        self.augment_state = None  # the photometric copy's CPU generator state (checkpointed)
        self.augment = T.Compose([T.ColorJitter(0.3, 0.3, 0.3, 0.1), T.RandomGrayscale(0.2),
                                  T.RandomApply([T.GaussianBlur(5)], p=0.5)])

    # ----------------------------------------------------------------------------- codes
    def dual_code(self, feats):
        """Student and EMA codes ``(B, D, h, w)`` with the reference's four dropout draws, all
        from the head's dropout module (one module shared by both heads, as the reference)."""
        head, ema, drop = self.head, self.ema_head, self.head.dropout
        code = head.linear(drop(feats))
        code_ema = ema.linear(drop(feats))
        code = code + head.nonlinear(drop(feats))
        code_ema = code_ema + ema.nonlinear(drop(feats))
        return code, code_ema

    def featurizer(self, feats):
        """The reference's non-training featurizer call on ``feats (B, C, h, w)``:
        ``(drop(feats), code, drop(code_ema))`` (six dropout draws)."""
        code, code_ema = self.dual_code(feats)
        return self.head.dropout(feats), code, self.head.dropout(code_ema)

    def project(self, code):
        """``(B, D, h, w)`` -> unit rows ``(B·h·w, P)``."""
        return F.normalize(self.projector(tokens(code)), dim=1)

    def augmented(self, inputs):
        """Photometric copy of the normalised ``inputs (B, 3, H, W)`` (pixel-aligned). The
        reference augments in its data loader: here the transforms draw from their own CPU
        generator state so the model's dropout / neglect draws stay in the reference's order."""
        with torch.random.fork_rng(devices=[]):
            if self.augment_state is None:
                torch.manual_seed(int(torch.randint(0, 2**31 - 1, ())))
            else:
                torch.set_rng_state(self.augment_state)
            if self.augment_normalised:
                out = self.augment(inputs)
            else:
                mean, std = self.data_preprocessor.mean, self.data_preprocessor.std
                images = (inputs * std + mean) / 255.0
                out = (self.augment(images.clamp(0, 1)) * 255.0 - mean) / std
            self.augment_state = torch.get_rng_state()
        return out

    # ----------------------------------------------------------------------------- pools
    @torch.no_grad()
    def pool_maps(self, inputs):
        """Pool features and EMA codes ``(B, C | D, h, w)`` of one loader batch."""
        feats = self.extract_feat(inputs)
        was_training = self.head.training
        self.head.train(self.pool_dropout)
        try:
            pool_feats, _, code_ema = self.featurizer(feats)
        finally:
            self.head.train(was_training)
        return pool_feats, code_ema

    @torch.no_grad()
    def refresh_reference_pools(self, batches, feature_pool=True):
        """Fill the code pool (and the feature pool when ``feature_pool``) from ``batches`` of
        normalised images ``(B, 3, H, W)``: one random token per image, ``pool_size`` images."""
        feat_maps, code_maps, feat_index, code_index, filled = [], [], [], [], 0
        for inputs in batches:
            if filled >= self.pool_size:
                break
            pool_feats, code_ema = self.pool_maps(inputs)
            batch, num_tokens = len(inputs), pool_feats.shape[-2] * pool_feats.shape[-1]
            if feature_pool:
                first, second = draw_pool_indices(batch, num_tokens, self.pool_rng)
                feat_index += first
                code_index += second
                feat_maps.append(pool_feats)
            else:
                code_index += draw_token_indices(batch, num_tokens, self.pool_rng)
            code_maps.append(code_ema)
            filled += batch
        pools = [(self.pool_code, code_maps, code_index)]
        if feature_pool:
            pools.append((self.pool_feats, feat_maps, feat_index))
        for buffer, maps, index in pools:
            pool = build_reference_pool(maps, index, self.half_precision_pool)[:self.pool_size]
            full = torch.zeros(self.pool_size, pool.shape[1], dtype=pool.dtype, device=pool.device)
            full[:len(pool)] = pool
            buffer.data = full.to(buffer.device)

    # ----------------------------------------------------------------------------- training
    def loss(self, inputs, data_samples):
        outputs, logits = self.frozen_pass(
            lambda images: features_and_attention_logits(self.backbone, images), inputs)
        feats = outputs['feats']
        height, width = feats.shape[-2:]
        weights = local_propagation_weights(logits, (height, width), sigma=self.sigma)
        code, code_ema = self.dual_code(feats)
        with torch.no_grad():
            ema_update(self.ema_head, self.head, self.ema_momentum)
        signal = self.head.dropout(feats)
        code_ema = self.head.dropout(code_ema)
        code_local = self.head.dropout(propagate_locally(code, weights))
        if self.consistency_weight:  # the augmented view's featurizer call (six draws)
            code_aug = self.featurizer(self.extract_feat(self.augmented(inputs)))[1]
        lmbd = hp_lambda(self.iteration, self.warmup, self.max_iters)
        hp = self.hidden_positive_loss(
            self.project(code), self.project(code_local), F.normalize(tokens(signal), dim=1).detach(),
            F.normalize(tokens(code_ema), dim=1).detach(), self.pool_feats, self.pool_code, lmbd,
            height * width)
        losses = dict(loss_hp=hp['loss'], hp_global=hp['loss_global'].detach(),
                      hp_local=hp['loss_local'].detach(),
                      hp_anchors=torch.tensor(float(hp['num_anchors'])), hp_lambda=torch.tensor(lmbd))
        if self.consistency_weight:
            losses['loss_consistency'] = self.consistency_weight * self.consistency_loss(
                self.project(code), self.project(code_aug))
        losses.update(self.probe_losses(code, data_samples))
        return losses

    def train_step(self, data, optim_wrapper):
        """The core step; the projector's optimiser steps with the head's (one backward)."""
        if 'projector' not in getattr(optim_wrapper, 'keys', lambda: ())():
            return super().train_step(data, optim_wrapper)
        wrappers = {k: v for k, v in optim_wrapper.items() if k != 'projector'}
        projector = optim_wrapper['projector']
        head = wrappers['head']
        step, zero_grad = head.step, head.zero_grad

        def joint_step(**kwargs):
            step(**kwargs)
            projector.step()

        def joint_zero_grad(**kwargs):
            zero_grad(**kwargs)
            projector.zero_grad()

        own = {name: head.__dict__[name] for name in ('step', 'zero_grad') if name in head.__dict__}
        head.step, head.zero_grad = joint_step, joint_zero_grad
        try:
            return super().train_step(data, type(optim_wrapper)(**wrappers))
        finally:  # put back what was there (e.g. the data-parallel wrapper's synchronised step)
            del head.step, head.zero_grad
            head.__dict__.update(own)
