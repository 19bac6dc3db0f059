"""CAUSE: concept clusterbook -> front-door head training -> modularity cluster probe."""
import copy

import torch
import torch.nn as nn

from mmengine.logging import MessageHub

from useg.models import UnsupervisedSegmentor
from useg.models.utils import feature_channels, with_in_channels
from useg.registry import MODELS
from useg.utils import ema_update

from .cause_head import map_to_tokens, tokens_to_map
from .concept_bank import ConceptBank
from .grid_sampling import draw_grid_order, grid_sample_tokens


@MODELS.register_module()
class CAUSESegmentor(UnsupervisedSegmentor):
    """Frozen backbone -> ``student`` / EMA ``teacher`` (``CAUSEHead`` + projection) -> probes.

    Training has two stages in one run, switched by the iteration counter (a buffer, so resuming
    continues in the right stage); the clusterbook (stage 1) comes from
    ``useg precompute CONFIG`` (its ``clusterbook`` step) through ``ClusterbookHook``.

    * Stage 2 (``iteration < head_iters``), in the reference's order of random draws:
      MLP -- teacher on all tokens (linear-probe input), grid draw, teacher and student on the
      grid-sampled tokens; TR -- teacher and student on all tokens, then one grid draw samples
      tokens and both projections. ``loss_front`` = :class:`ConceptContrastiveLoss` (optimiser
      ``student``: head + projection, clipped together); ``loss_linear`` on the detached teacher
      code. After the optimiser steps: EMA of the teacher (``useg.utils.ema_update``, parameters
      only), then the :class:`ConceptBank` update with the teacher projections of the step.
    * Stage 3: ``loss_cluster`` = :class:`ModularityLoss` of the grid-sampled teacher code (train
      mode, dropout on, no gradient) to ``cluster_probe.clusters``; ``loss_linear`` as above. The
      head is frozen: no label reaches it (unless ``leaky_finetune``).

    Prediction: the teacher head (eval), flip averaging / CRF / ``alpha`` from ``test_cfg``.

    Args:
        head: ``CAUSEHead`` config (student; the teacher is a deep copy); an omitted
            ``in_channels`` is the backbone's width, the probes' the head's ``channels``.
        projection_channels: ``Dp`` of the projection (a linear layer D -> Dp).
        num_codebook: clusterbook size ``M``.
        contrastive_loss / modularity_loss: loss configs.
        head_iters: iterations of stage 2; the rest of the schedule is stage 3.
        ema_decay: teacher EMA decay (0.99 per step).
        bank: ``ConceptBank`` arguments (``size``, ``keep``).
        cell: grid-sampling cell side (4).
        faithful: reproduce the reference's shared-storage EMA start (teacher = student after the
            first step) and its single optimiser over head, projection and linear probe (one
            gradient clip over all three): ``loss_front`` and ``loss_linear`` then train the
            ``segment`` optimiser entry. The other quirks are listed in the plugin README.
        leaky_finetune: the reference's stage 3 (needs ``faithful``): the linear probe's
            supervised loss also trains the evaluated teacher head. Numbers obtained with it are
            NOT unsupervised; for comparison only.
        backbone_precision: the frozen pass's precision, as :class:`UnsupervisedSegmentor`.
    """

    def __init__(self, backbone, num_classes, head, contrastive_loss, modularity_loss,
                 cluster_probe, linear_probe=None, projection_channels=2048, num_codebook=2048,
                 head_iters=0, ema_decay=0.99, bank=dict(size=100, keep=0.5), cell=4,
                 faithful=False, leaky_finetune=False, data_preprocessor=None, train_cfg=None,
                 test_cfg=None, init_cfg=None, backbone_precision='fp32'):
        super().__init__(backbone, num_classes, head=None, data_preprocessor=data_preprocessor,
                         train_cfg=train_cfg, test_cfg=test_cfg, init_cfg=init_cfg,
                         backbone_precision=backbone_precision)
        head = with_in_channels(dict(head), feature_channels(self.backbone))  # omitted in_channels
        if head.get('structure') == 'tr':
            head.setdefault('num_codebook', num_codebook)
        head = MODELS.build(head)
        self.code_channels = head.channels  # the probes read the teacher code
        cluster_probe, linear_probe = (with_in_channels(probe, head.channels)
                                       for probe in (cluster_probe, linear_probe))
        self.cluster_probe = MODELS.build(cluster_probe)
        self.linear_probe = MODELS.build(linear_probe) if linear_probe is not None else None
        self.student = nn.ModuleDict(dict(
            head=head, projection=nn.Linear(head.channels, projection_channels)))
        self.teacher = copy.deepcopy(self.student).requires_grad_(False)
        self.contrastive_loss = MODELS.build(contrastive_loss)
        self.modularity_loss = MODELS.build(modularity_loss)
        num_clusters = self.cluster_probe.clusters.shape[0]
        nn.init.uniform_(self.cluster_probe.clusters, -1.0 / num_clusters, 1.0 / num_clusters)
        self.register_buffer('codebook', torch.zeros(num_codebook, head.in_channels))
        self.register_buffer('iteration', torch.zeros((), dtype=torch.long))
        self.bank = ConceptBank(num_codebook, **bank)
        self.head_iters = head_iters
        self.ema_decay = ema_decay
        self.cell = cell
        if leaky_finetune and not faithful:
            raise ValueError('leaky_finetune reproduces the reference and needs faithful=True '
                             '(one segment optimiser that also holds the teacher)')
        self.faithful = faithful
        self.leaky_finetune = leaky_finetune
        self._pending_bank_update = None

    @property
    def in_head_stage(self):
        return int(self.iteration) < self.head_iters

    def set_codebook(self, codebook):
        """Install the stage-1 clusterbook ``(M, C)`` in the model and both TR heads."""
        self.codebook.copy_(codebook.to(self.codebook))
        for module in (self.student, self.teacher):
            module['head'].set_codebook(self.codebook)

    # ----------------------------------------------------------------------------- model
    def encode(self, inputs):
        """``inputs`` -> ``(feats (B, C, h, w), teacher code (B, D, h, w))``."""
        feats = self.extract_feat(inputs)
        return feats, self.teacher['head'](feats, self.codebook)

    def _grid(self, tokens):
        side = int(round(tokens.shape[1] ** 0.5))
        return draw_grid_order(tokens.shape[0], side, self.cell)

    def _linear_loss(self, code_tokens, data_samples, detach=True):
        return self.linear_loss(tokens_to_map(code_tokens.detach() if detach else code_tokens),
                                      data_samples)

    def front_door_losses(self, tokens, data_samples):
        """Stage 2: ``loss_front`` and ``loss_linear``; remembers the bank update."""
        teacher, student, codebook = self.teacher, self.student, self.codebook
        with torch.no_grad():
            if student['head'].structure == 'mlp':
                probe_code = teacher['head'](tokens, codebook)
                order = self._grid(tokens)
                sampled = grid_sample_tokens(tokens, order, self.cell)
                teacher_proj = teacher['projection'](teacher['head'](sampled, codebook))
            else:
                probe_code = teacher['head'](tokens, codebook)
                teacher_proj = teacher['projection'](probe_code)
        if student['head'].structure == 'mlp':
            student_proj = student['projection'](student['head'](sampled, codebook))
        else:
            student_proj = student['projection'](student['head'](tokens, codebook))
            order = self._grid(tokens)
            sampled = grid_sample_tokens(tokens, order, self.cell)
            student_proj = grid_sample_tokens(student_proj, order, self.cell)
            teacher_proj = grid_sample_tokens(teacher_proj, order, self.cell)
        losses = dict(loss_front=self.contrastive_loss(sampled, student_proj, teacher_proj,
                                                       codebook, self.bank),
                      bank_rows=torch.tensor(float(len(self.bank))))
        losses.update(self._linear_loss(probe_code, data_samples))
        self._pending_bank_update = (sampled, teacher_proj)
        return losses

    def cluster_losses(self, tokens, data_samples):
        """Stage 3: modularity of the teacher code to the centroids, and the linear probe."""
        self.teacher['head'].requires_grad_(self.leaky_finetune)
        with torch.set_grad_enabled(self.leaky_finetune):
            code = self.teacher['head'](tokens, self.codebook)
        sampled = grid_sample_tokens(code, self._grid(code), self.cell)
        losses = dict(loss_cluster=self.modularity_loss(sampled, self.cluster_probe.clusters))
        losses.update(self._linear_loss(code, data_samples, detach=not self.leaky_finetune))
        return losses

    def loss(self, inputs, data_samples):
        feats = self.extract_feat(inputs)
        if feats.shape[-1] != feats.shape[-2]:
            raise ValueError(f'CAUSE needs square token grids, got {tuple(feats.shape[-2:])}')
        tokens = map_to_tokens(feats)
        if self.in_head_stage:
            return self.front_door_losses(tokens, data_samples)
        return self.cluster_losses(tokens, data_samples)

    @property
    def segment(self):
        """Student, teacher and linear probe: the reference's one optimiser (``faithful``). The
        teacher only gets gradients with ``leaky_finetune`` in stage 3."""
        return nn.ModuleDict(dict(student=self.student, teacher=self.teacher,
                                  linear_probe=self.linear_probe))

    def loss_optimizer(self, key):
        if self.faithful and key.startswith(('loss_front', 'loss_linear')):
            return 'segment'
        if key.startswith('loss_front'):
            return 'student'
        return super().loss_optimizer(key)

    def train_step(self, data, optim_wrapper):
        if int(self.iteration) == self.head_iters:  # stage 3 starts: stage-2 logs end here
            forget_logged_scalars(STAGE_TWO_SCALARS)
        log_vars = super().train_step(data, optim_wrapper)
        if self._pending_bank_update is not None:
            if self.faithful and int(self.iteration) == 0:
                ema_update(self.teacher, self.student, 0.0, buffers=False)  # shared-storage start
            else:
                ema_update(self.teacher, self.student, self.ema_decay, buffers=False)
            self.bank.update(*self._pending_bank_update, self.codebook)
            self._pending_bank_update = None
        self.iteration += 1
        return log_vars


STAGE_TWO_SCALARS = ('train/loss_front', 'train/bank_rows', 'train/grad_norm')


def forget_logged_scalars(names):
    """Drop ``names`` from the current message hub's scalars, so the log does not repeat their
    last values once nothing updates them (an optimiser that still clips logs ``grad_norm`` anew)."""
    scalars = MessageHub.get_current_instance().log_scalars
    for name in names:
        scalars.pop(name, None)
