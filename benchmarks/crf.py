"""Dense CRF: pydensecrf (the references' CRF) vs the PyTorch lattice on the CPU and on CUDA.

``python benchmarks/crf.py [--size 320] [--images 2] [--classes 3 27] [--device cpu cuda]``
prints, per number of classes K, images/s of every backend, its speed-up over pydensecrf and its
argmax agreement with pydensecrf (fraction of pixels). Scenes come from the synthetic generator;
the log-probabilities are its labels at 1/8 resolution, blurred and noisy (as a segmentation head
at patch resolution). pydensecrf runs one image at a time in this process (one core); the torch
backend runs all images as one batch.
"""
import argparse
import time

import numpy as np
import torch
import torch.nn.functional as F

from useg.datasets.synthetic import synthetic_scene
from useg.postprocess import dense_crf, dense_crf_torch


def noisy_scenes(count, size, num_classes, seed=0, stride=8, noise=1.0):
    """``images (B, H, W, 3)`` uint8, ``log_probs (B, K, H/stride, W/stride)``."""
    rng = np.random.default_rng(seed)
    images, maps = [], []
    for _ in range(count):
        image, label = synthetic_scene(rng, (size, size), num_classes)
        onehot = F.one_hot(torch.from_numpy(label.astype(np.int64)), num_classes)
        coarse = F.avg_pool2d(onehot.permute(2, 0, 1).float()[None], stride)[0] * 3
        coarse = coarse + noise * torch.from_numpy(rng.normal(size=coarse.shape)).float()
        images.append(torch.from_numpy(image))
        maps.append(torch.log_softmax(coarse, 0))
    return torch.stack(images), torch.stack(maps)


def timed(function, synchronize):
    start = time.perf_counter()
    result = function()
    synchronize()
    return result, time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size', type=int, default=320)
    parser.add_argument('--images', type=int, default=2)
    parser.add_argument('--classes', type=int, nargs='+', default=[3, 27])
    parser.add_argument('--iterations', type=int, default=10)
    parser.add_argument('--device', nargs='+', default=['cpu'] + (
        ['cuda'] if torch.cuda.is_available() else []), choices=['cpu', 'cuda'],
        help='devices of the torch backend (default: cpu, and cuda when available)')
    args = parser.parse_args()
    print(f'{args.images} images {args.size}x{args.size}, {args.iterations} iterations, '
          f'torch threads {torch.get_num_threads()}')
    for num_classes in args.classes:
        images, log_probs = noisy_scenes(args.images, args.size, num_classes)
        reference, seconds = timed(lambda: [dense_crf(image.numpy(), maps, args.iterations)
                                            for image, maps in zip(images, log_probs)],
                                   lambda: None)
        reference_labels = np.stack([probs.argmax(0) for probs in reference])
        base = args.images / seconds
        print(f'K={num_classes:3d} pydensecrf      {base:8.3f} img/s')
        for device in args.device:
            sync = torch.cuda.synchronize if device == 'cuda' else (lambda: None)
            inputs = images.to(device), log_probs.to(device)
            if device == 'cuda':  # warm-up: kernels, allocator
                dense_crf_torch(inputs[0][:1], inputs[1][:1], 1)
            probs, seconds = timed(lambda: dense_crf_torch(*inputs, args.iterations), sync)
            agreement = (probs.argmax(1).cpu().numpy() == reference_labels).mean()
            rate = args.images / seconds
            memory = (f'  peak {torch.cuda.max_memory_allocated() / 2 ** 30:.2f} GiB'
                      if device == 'cuda' else '')
            print(f'K={num_classes:3d} torch {device:4s}      {rate:8.3f} img/s  '
                  f'{rate / base:7.2f}x pydensecrf  agreement {100 * agreement:.3f} %{memory}')


if __name__ == '__main__':
    main()
