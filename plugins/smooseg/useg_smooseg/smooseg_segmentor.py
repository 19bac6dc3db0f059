"""SmooSeg's model: projector + student / EMA-teacher cosine prototypes trained by an energy."""
import torch
import torch.nn as nn

from useg.models import UnsupervisedSegmentor
from useg.models.utils import with_in_channels
from useg.registry import MODELS
from useg.utils import ema_update


@MODELS.register_module()
class SmooSegSegmentor(UnsupervisedSegmentor):
    """SmooSeg (Lan et al., NeurIPS 2023) on useg's frozen backbone and projection head.

    ``feats (B, C, h, w)`` -> ``code (B, D, h, w)`` -> cosines to the student prototypes
    (on ``code.detach()``: gradients reach only the student) and to the teacher prototypes
    (gradients reach only the projector). Losses: ``loss_smooth`` (pairwise smoothness of the
    teacher's soft assignments, trains ``head``) and ``loss_data`` (cross-entropy of the student's
    cosines against the teacher's argmax, trains ``student_prototypes``).

    The teacher (attribute ``teacher``, the core's :attr:`cluster_predictor`: prediction is
    ``log_softmax(alpha * cos)`` to the teacher prototypes, with the core's flip averaging and CRF)
    is never trained by a loss but moved by :func:`useg.utils.ema_update` of the student, once per
    training forward, after the losses are computed and **before** the optimisers step (the
    reference order: the teacher lags the student by one update).

    ``negative_pairing``: a fixed ``(B,)`` partner index for the smoothness term's negative pairs
    (tests, reproducing a reference run); None draws :func:`other_image_indices` every step.

    Args:
        backbone, num_classes, linear_probe, data_preprocessor, train_cfg, test_cfg, init_cfg,
        backbone_precision: as :class:`UnsupervisedSegmentor`.
        head (dict): the projector (``ProjectionHead`` with SiLU and dropout 0.2 in the paper).
        prototypes (dict): ``ClusterProbe`` config for both prototype sets (``K x D``).
        loss (dict): ``SmooSegLoss`` config.
        teacher_momentum (float): EMA momentum ``alpha`` of the teacher (0.998).
    """

    def __init__(self, backbone, num_classes, head, prototypes, loss, teacher_momentum=0.998,
                 linear_probe=None, data_preprocessor=None, train_cfg=None, test_cfg=None,
                 init_cfg=None, backbone_precision='fp32'):
        if head is None:
            raise ValueError('SmooSegSegmentor needs a projection head (head=dict(type=...))')
        if not 0 <= teacher_momentum <= 1:
            raise ValueError(f'teacher_momentum must lie in [0, 1], got {teacher_momentum}')
        super().__init__(backbone=backbone, num_classes=num_classes, head=head,
                         linear_probe=linear_probe, data_preprocessor=data_preprocessor,
                         train_cfg=train_cfg, test_cfg=test_cfg, init_cfg=init_cfg,
                         backbone_precision=backbone_precision)
        prototypes = with_in_channels(prototypes, self.code_channels)
        self.teacher = MODELS.build(prototypes).requires_grad_(False)
        self.student_prototypes = MODELS.build(prototypes)
        self.smooseg_loss = MODELS.build(loss)
        self.teacher_momentum = float(teacher_momentum)
        self.negative_pairing = None
        self.reset_prototypes()

    @property
    def cluster_predictor(self):
        return self.teacher

    @torch.no_grad()
    def reset_prototypes(self):
        """Student rows <- L2-normalised Xavier-normal draws; teacher <- an exact copy."""
        student = self.student_prototypes.clusters
        nn.init.xavier_normal_(student)
        student.copy_(nn.functional.normalize(student, dim=1))
        self.teacher.clusters.copy_(student)

    def update_teacher(self):
        """``teacher <- momentum * teacher + (1 - momentum) * student`` on the raw prototypes."""
        ema_update(self.teacher, self.student_prototypes, self.teacher_momentum)

    def method_loss(self, feats, code, data_samples):
        """``loss_smooth``, ``loss_data`` and the smoothness parts (logged, not optimised)."""
        signal = self.head.dropout_features(feats)
        student_cosine = self.student_prototypes.cosine(code.detach())
        teacher_cosine = self.teacher.cosine(code)
        soft_assignments = self.smooseg_loss.soft_assignments(teacher_cosine)
        smoothness = self.smooseg_loss(signal, soft_assignments, self.negative_pairing)
        return dict(loss_smooth=smoothness['smooth_loss'],
                    loss_data=self.smooseg_loss.data_loss(student_cosine, teacher_cosine),
                    smooth_pos_intra=smoothness['pos_intra_loss'],
                    smooth_neg_inter=smoothness['neg_inter_loss'],
                    pos_intra_cd=smoothness['pos_intra_cd'],
                    neg_inter_cd=smoothness['neg_inter_cd'])

    def loss(self, inputs, data_samples):
        """Training forward; the teacher EMA follows the losses, before any optimiser step."""
        losses = super().loss(inputs, data_samples)
        self.update_teacher()
        return losses

    def loss_optimizer(self, key):
        if key.startswith('loss_data'):
            return 'student_prototypes'
        return super().loss_optimizer(key)
