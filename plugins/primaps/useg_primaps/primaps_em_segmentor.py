"""``PriMaPsEMSegmentor``: PriMaPs-EM student / teacher prototypes on top of any frozen code."""
import copy

import torch
from mmengine.structures import PixelData

from useg.models import UnsupervisedSegmentor
from useg.models.utils import with_in_channels
from useg.registry import MODELS

from .em_step import em_step
from .student_view_augment import StudentViewAugment


@MODELS.register_module()
class PriMaPsEMSegmentor(UnsupervisedSegmentor):
    """Frozen backbone (+ optional frozen head, e.g. STEGO's) -> code -> student / teacher.

    ``student`` (theta_R, trained by Adam) and ``teacher`` (theta_M, an EMA copy of the student
    updated by ``PriMaPsTeacherEMAHook``) are ``WeightNormPrototypes`` on the raw code. One step (:func:`em_step`): teacher classes of
    the clean view -> per-mask majority vote over the cached PriMaPs mask ids
    (``data_sample.pseudo_sem_seg``) -> focal cross-entropy of the student on the augmented view
    (``loss_seghead``, optimiser ``student``); the linear probe learns from the ground truth
    (``loss_linear``). Prediction uses the teacher (``pred_sem_seg``, the core's
    :attr:`cluster_predictor`) as the headline and adds the student's ``student_pred_sem_seg``
    (:meth:`predict_sample`, from the same code: no second backbone pass).

    Args:
        student: prototypes config (``in_channels`` = code channels, ``num_classes`` = K).
        head: a frozen head (the "+SotA" variant), None for the plain backbone features.
        focal_gamma: class-confidence exponent (paper 2.0).
        student_augment: photometric student view (False: the student sees the clean view).
        backbone_precision: the frozen pass's precision, as :class:`UnsupervisedSegmentor`.
    """

    def __init__(self, backbone, num_classes, student, head=None, linear_probe=None,
                 focal_gamma=2.0, student_augment=True, data_preprocessor=None, train_cfg=None,
                 test_cfg=None, init_cfg=None, backbone_precision='fp32'):
        super().__init__(backbone, num_classes, head=head, linear_probe=linear_probe,
                         data_preprocessor=data_preprocessor, train_cfg=train_cfg,
                         test_cfg=test_cfg, init_cfg=init_cfg,
                         backbone_precision=backbone_precision)
        if self.head is not None:
            self.head.requires_grad_(False)
        self.student = MODELS.build(with_in_channels(student, self.code_channels))
        self.teacher = copy.deepcopy(self.student).requires_grad_(False)
        self.focal_gamma = focal_gamma
        self.student_augment = StudentViewAugment() if student_augment else None

    @property
    def cluster_predictor(self):
        return self.teacher

    def train(self, mode=True):
        super().train(mode)
        if self.head is not None:
            self.head.eval()
        return self

    def loss(self, inputs, data_samples):
        if not all('pseudo_sem_seg' in sample for sample in data_samples):
            raise KeyError('PriMaPs-EM needs the cached PriMaPs masks '
                           '(data_sample.pseudo_sem_seg): '
                           'add LoadPseudoLabel / PackUnsupervisedSegInputs to the train pipeline')
        with torch.no_grad():
            code = self.encode(inputs)[1]
            student_code = (self.encode(self.student_augment(inputs))[1]
                            if self.student_augment is not None else code)
        mask_ids = torch.stack([sample.pseudo_sem_seg.data[0] for sample in data_samples])
        loss, pseudo_labels, _ = em_step(self.teacher, self.student, code, student_code,
                                         mask_ids.to(code.device), self.focal_gamma)
        losses = dict(loss_seghead=loss,
                      pseudo_label_coverage=(pseudo_labels != 255).float().mean())
        losses.update(self.linear_loss(code, data_samples))
        return losses

    def loss_optimizer(self, key):
        return 'linear_probe' if key.startswith('loss_linear') else 'student'

    def predict_sample(self, code_i, sample):
        unaries = super().predict_sample(code_i, sample)
        prediction = self.student(code_i)[0].argmax(0, keepdim=True)
        sample.set_field(PixelData(data=prediction), 'student_pred_sem_seg')
        return unaries
