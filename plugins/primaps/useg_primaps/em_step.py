"""One PriMaPs-EM step on features: E-step pseudo labels and the M-step loss."""
import torch.nn.functional as F

from .focal_cross_entropy import focal_cross_entropy
from .mask_majority_vote import mask_majority_vote


def em_step(teacher, student, teacher_code, student_code, mask_ids, gamma=2.0, ignore_index=255):
    """E-step with the teacher on the clean view, M-step loss of the student on the augmented one.

    Logits are computed at code resolution and upsampled bilinearly to the mask size (a 1x1 conv
    without bias commutes with bilinear upsampling; the reference upsamples the features first).

    Args:
        teacher, student: ``WeightNormPrototypes`` (or any ``code -> (B, K, h, w)`` module).
        teacher_code: ``(B, C, h, w)`` code of the clean view.
        student_code: ``(B, C, h, w)`` code of the augmented view.
        mask_ids: ``(B, H, W)`` PriMaPs mask ids (``ignore_index`` = none).

    Returns:
        ``(loss, pseudo_labels (B, H, W), student_logits (B, K, H, W))``.
    """
    size = mask_ids.shape[-2:]
    teacher_logits = F.interpolate(teacher(teacher_code).detach(), size=size, mode='bilinear',
                                   align_corners=False)
    pseudo_labels = mask_majority_vote(teacher_logits.argmax(1), mask_ids,
                                       teacher_logits.shape[1], ignore_index)
    student_logits = F.interpolate(student(student_code), size=size, mode='bilinear',
                                   align_corners=False)
    loss = focal_cross_entropy(student_logits, pseudo_labels, gamma, ignore_index)
    return loss, pseudo_labels, student_logits
