"""The precision of the segmentor's frozen backbone pass: ``'auto'`` | ``'bf16'`` | ``'fp16'`` |
``'fp32'``."""
from contextlib import nullcontext
from functools import lru_cache

import torch

BACKBONE_PRECISIONS = {'bf16': torch.bfloat16, 'fp16': torch.float16, 'fp32': None}
CPU_BF16_FLAGS = frozenset({'amx_bf16', 'avx512_bf16'})


@lru_cache(maxsize=None)
def cpu_has_bf16_units(cpuinfo='/proc/cpuinfo'):
    """Whether the CPU flags in ``cpuinfo`` include a bf16 matrix unit (AMX or avx512_bf16);
    False where the file is missing."""
    try:
        with open(cpuinfo) as handle:
            for line in handle:
                if line.startswith('flags'):
                    return bool(CPU_BF16_FLAGS & set(line.split(':', 1)[1].split()))
    except OSError:
        pass
    return False


def backbone_autocast_dtype(precision, device):
    """``precision`` on ``device`` -> the autocast dtype, or None for plain fp32.

    ``'auto'`` is bf16 on CUDA devices that support it and on CPUs with bf16 matrix units, else
    fp32.
    """
    device = torch.device(device)
    if precision == 'auto':
        if device.type == 'cuda':
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else None
        return torch.bfloat16 if device.type == 'cpu' and cpu_has_bf16_units() else None
    if precision not in BACKBONE_PRECISIONS:
        raise ValueError(f"backbone_precision must be 'auto' or one of "
                         f'{sorted(BACKBONE_PRECISIONS)}, got {precision!r}')
    return BACKBONE_PRECISIONS[precision]


def resolved_backbone_precision(precision, device):
    """``precision`` on ``device`` -> the precision that runs: ``'bf16'`` | ``'fp16'`` | ``'fp32'``
    (``'auto'`` resolved; what a cache key records)."""
    dtype = backbone_autocast_dtype(precision, device)
    return next(name for name, value in BACKBONE_PRECISIONS.items() if value is dtype)


def backbone_autocast(precision, device):
    """The autocast context of ``precision`` on ``device``; for fp32 no context at all (an outer
    autocast, e.g. ``--amp``, stays in effect as before)."""
    device = torch.device(device)
    dtype = backbone_autocast_dtype(precision, device)
    return nullcontext() if dtype is None else torch.autocast(device.type, dtype=dtype)


def as_float32(output):
    """Floating tensors of a backbone output (tensor, or tuple / list / dict of them) -> float32."""
    if torch.is_tensor(output):
        return output.float() if output.is_floating_point() else output
    if isinstance(output, dict):
        return type(output)((key, as_float32(value)) for key, value in output.items())
    if isinstance(output, (tuple, list)):
        values = [as_float32(value) for value in output]
        return type(output)(*values) if hasattr(output, '_fields') else type(output)(values)
    return output
