"""One entry point for dense-CRF refinement with a choice of backend (``test_cfg.crf_backend``)."""
from collections import defaultdict

import numpy as np
import torch
import torch.nn.functional as F

from .crf import dense_crf_batch, usable_cpus
from .crf_torch import dense_crf_torch

CRF_BACKENDS = ('auto', 'torch', 'pydensecrf')
# torch backend: at most this many pixels x classes per batched call (bounds the lattice memory)
TORCH_CRF_CHUNK = 2 ** 25
# 'auto' on a process with one CPU: the torch lattice from this many classes on (measured faster
# than pydensecrf there, see docs/performance.md; below it pydensecrf's cheaper lattice wins)
TORCH_CPU_MIN_CLASSES = 16


def resolve_crf_backend(backend, device, num_classes=None):
    """``'auto'`` -> ``'torch'`` on CUDA, and on the CPU when this process may use one CPU only
    and ``num_classes >= TORCH_CPU_MIN_CLASSES``; else ``'pydensecrf'`` (the faster one there, see
    docs/performance.md). Other names are returned after checking them."""
    if backend not in CRF_BACKENDS:
        raise ValueError(f'crf_backend must be one of {CRF_BACKENDS}, got {backend!r}')
    if backend == 'auto':
        if torch.device(device).type == 'cuda':
            return 'torch'
        many_classes = num_classes is not None and num_classes >= TORCH_CPU_MIN_CLASSES
        return 'torch' if many_classes and usable_cpus() == 1 else 'pydensecrf'
    return backend


def _torch_refine(images, log_probs_list, iterations):
    """Images of one size share a batch (classes padded, see ``dense_crf_torch(num_labels)``)."""
    groups = defaultdict(list)
    for index, image in enumerate(images):
        groups[tuple(image.shape[:2])].append(index)
    results = [None] * len(images)
    for (height, width), indices in groups.items():
        per_call = max(1, TORCH_CRF_CHUNK // (height * width * max(
            len(log_probs_list[i]) for i in indices)))
        for start in range(0, len(indices), per_call):
            chunk = indices[start:start + per_call]
            maps = [log_probs_list[i] for i in chunk]
            classes = [len(m) for m in maps]
            if len({tuple(m.shape[-2:]) for m in maps}) > 1:  # mixed map sizes: resize here
                maps = [F.interpolate(m[None].float(), size=(height, width), mode='bilinear',
                                      align_corners=False)[0] for m in maps]
            batch = maps[0].new_zeros(len(maps), max(classes), *maps[0].shape[-2:])
            for position, m in enumerate(maps):
                batch[position, :len(m)] = m
            stacked = torch.stack([images[i] for i in chunk]).to(batch.device)
            probs = dense_crf_torch(stacked, batch, iterations,
                                    num_labels=torch.tensor(classes, device=batch.device))
            for position, index in enumerate(chunk):
                results[index] = probs[position, :classes[position]].cpu().numpy()
    return results


def refine_with_crf(images, log_probs_list, iterations=10, backend='auto', num_workers=None):
    """Dense-CRF refinement of several images with the chosen backend.

    Args:
        images: sequence of ``(H, W, 3)`` uint8 RGB arrays or tensors (sizes may differ).
        log_probs_list: matching sequence of ``(K, h, w)`` log-probabilities (arrays or tensors;
            K may differ), bilinearly upsampled to the image size.
        iterations: mean-field iterations.
        backend: ``'torch'`` (:func:`dense_crf_torch`, batched on the log-probabilities'
            device), ``'pydensecrf'`` (:func:`dense_crf_batch`, the persistent process pool) or
            ``'auto'`` (see :func:`resolve_crf_backend`: torch on CUDA, and on one CPU from
            ``TORCH_CPU_MIN_CLASSES`` classes on; else pydensecrf).
        num_workers: pydensecrf processes (None = the CPUs this process may use, 0/1 = serial).

    Returns:
        list of ``(K, H, W)`` float32 numpy probabilities.
    """
    if len(images) != len(log_probs_list):
        raise ValueError(f'{len(images)} images but {len(log_probs_list)} log-probability maps')
    if not len(images):
        return []
    log_probs_list = [torch.as_tensor(maps) for maps in log_probs_list]
    backend = resolve_crf_backend(backend, log_probs_list[0].device,
                                  max(len(maps) for maps in log_probs_list))
    if backend == 'pydensecrf':
        return dense_crf_batch([np.asarray(torch.as_tensor(image).cpu()) for image in images],
                               log_probs_list, iterations=iterations, num_workers=num_workers)
    return _torch_refine([torch.as_tensor(image) for image in images], log_probs_list, iterations)
