"""Dense CRF refinement of per-pixel class probabilities (pydensecrf), as STEGO / PriMaPs."""
import atexit
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pydensecrf.densecrf as densecrf
import torch
import torch.nn.functional as F
from pydensecrf.utils import unary_from_softmax

# STEGO / PriMaPs parameters.
GAUSSIAN_SXY, GAUSSIAN_COMPAT = 1, 3
BILATERAL_SXY, BILATERAL_SRGB, BILATERAL_COMPAT = 67, 3, 4
UNARY_CLIP = 1e-5  # pydensecrf.utils.unary_from_softmax


def _check_image(image):
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f'image must be (H, W, 3) uint8 RGB, got {image.shape} {image.dtype}')
    return image


def crf_probabilities(log_probs, size):
    """Softmax over classes of ``log_probs`` ``(C, h, w)``, bilinearly resized
    (``align_corners=False``) to ``size`` ``(H, W)`` first when sizes differ ->
    ``(C, H, W)`` float32 numpy."""
    log_probs = torch.as_tensor(log_probs).detach().float().cpu()
    if log_probs.ndim != 3:
        raise ValueError(f'log_probs must be (C, h, w), got {tuple(log_probs.shape)}')
    if tuple(log_probs.shape[1:]) != tuple(size):
        log_probs = F.interpolate(log_probs[None], size=tuple(size), mode='bilinear',
                                  align_corners=False)[0]
    return log_probs.softmax(0).numpy()


def crf_inference(image, probs, iterations=10):
    """Mean-field inference of the STEGO/PriMaPs dense CRF.

    ``image`` ``(H, W, 3)`` uint8 RGB (handed to pydensecrf reversed to BGR, as the
    references do; the colour kernel is isotropic so the order does not change Q), ``probs``
    ``(C, H, W)`` -> ``(C, H, W)`` float32 probabilities. Unary ``-log(max(p, 1e-5))``;
    Gaussian kernel sxy 1 / compat 3; bilateral sxy 67 / srgb 3 / compat 4.
    """
    num_classes, height, width = probs.shape
    crf = densecrf.DenseCRF2D(width, height, num_classes)
    crf.setUnaryEnergy(np.ascontiguousarray(unary_from_softmax(probs, clip=UNARY_CLIP)))
    crf.addPairwiseGaussian(sxy=GAUSSIAN_SXY, compat=GAUSSIAN_COMPAT)
    crf.addPairwiseBilateral(sxy=BILATERAL_SXY, srgb=BILATERAL_SRGB,
                             rgbim=np.ascontiguousarray(image[:, :, ::-1]),
                             compat=BILATERAL_COMPAT)
    q = crf.inference(iterations)
    return np.asarray(q, dtype=np.float32).reshape(num_classes, height, width)


def dense_crf(image, log_probs, iterations=10):
    """Refine ``log_probs`` ``(C, h, w)`` (tensor or array) of ``image`` ``(H, W, 3)`` uint8
    RGB with a dense CRF -> ``(C, H, W)`` float32 numpy probabilities. ``log_probs`` is
    bilinearly upsampled (``align_corners=False``) to ``(H, W)`` when sizes differ."""
    image = _check_image(image)
    return crf_inference(image, crf_probabilities(log_probs, image.shape[:2]), iterations)


def _crf_task(task):
    image, probs, iterations = task
    return crf_inference(image, probs, iterations)


class _WorkerPool:
    """One process pool for the pydensecrf CRF, created on first use, kept across calls
    (re-created only when the worker count changes) and shut down at exit.

    Workers are forked where the platform allows (they run only numpy and pydensecrf), else
    spawned.
    """

    def __init__(self):
        self._pool, self._workers = None, 0

    def get(self, num_workers):
        if self._pool is None or self._workers != num_workers:
            self.shutdown()
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context('fork' if 'fork' in methods else 'spawn')
            self._pool, self._workers = ProcessPoolExecutor(num_workers, mp_context=context), num_workers
        return self._pool

    def shutdown(self):
        if self._pool is not None:
            self._pool.shutdown()
            self._pool, self._workers = None, 0


def usable_cpus():
    """Number of CPUs this process may run on (its affinity mask; the CPU count where the
    platform has no affinity)."""
    if hasattr(os, 'sched_getaffinity'):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


CRF_POOL = _WorkerPool()
atexit.register(CRF_POOL.shutdown)


def dense_crf_batch(images, log_probs, iterations=10, num_workers=None):
    """``dense_crf`` over many images in the persistent process pool -> list of ``(C, H, W)``
    float32.

    ``images``: sequence of ``(H, W, 3)`` uint8 RGB; ``log_probs``: matching sequence (or a
    ``(B, C, h, w)`` tensor). Resizing and softmax run here; workers run only pydensecrf.
    ``num_workers`` defaults to :func:`usable_cpus`; 0 or 1 (or a single image) runs serially in
    this process, without a pool.
    """
    images = [_check_image(image) for image in images]
    if len(images) != len(log_probs):
        raise ValueError(f'{len(images)} images but {len(log_probs)} log-probability maps')
    tasks = [(image, crf_probabilities(maps, image.shape[:2]), iterations)
             for image, maps in zip(images, log_probs)]
    num_workers = usable_cpus() if num_workers is None else num_workers
    if min(num_workers, len(tasks)) <= 1:
        return [_crf_task(task) for task in tasks]
    return list(CRF_POOL.get(num_workers).map(_crf_task, tasks))
