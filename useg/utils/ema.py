"""The exponential moving average every EMA teacher / momentum encoder in useg uses."""
import torch


@torch.no_grad()
def ema_update(teacher, student, decay, buffers=True):
    """``teacher <- decay * teacher + (1 - decay) * student`` in place.

    ``teacher`` / ``student``: modules with the same parameter (and buffer) names, or two equal-length
    sequences of tensors. Only floating-point tensors are averaged, matched by name (for weight-normed
    layers: ``weight_g`` and ``weight_v`` separately, not the effective weight). ``buffers=False``
    averages parameters only (MoCo-style momentum encoders).
    """
    if isinstance(teacher, torch.nn.Module):
        student_tensors = dict(student.named_parameters())
        teacher_tensors = list(teacher.named_parameters())
        if buffers:
            student_tensors |= dict(student.named_buffers())
            teacher_tensors += list(teacher.named_buffers())
        pairs = [(tensor, student_tensors[name]) for name, tensor in teacher_tensors]
    else:
        teacher, student = list(teacher), list(student)
        if len(teacher) != len(student):
            raise ValueError(f'{len(teacher)} teacher tensors but {len(student)} student tensors')
        pairs = zip(teacher, student)
    for target, source in pairs:
        if target.is_floating_point():
            target.lerp_(source.detach(), 1 - decay)
