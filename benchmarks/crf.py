"""Dense CRF: pydensecrf (the references' CRF) vs the PyTorch lattice, side by side.

``OMP_NUM_THREADS=1 taskset -c 1 python benchmarks/crf.py [--size 320] [--classes 3 27]
[--photos astronaut coffee] [--pairs 7] [--device cpu cuda]``

Real photos (``skimage.data``, resized to ``size x size``) with random-ish unaries (log-softmax
of Gaussian noise at 1/8 resolution, bilinearly upsampled: noisy labels, as a segmentation head
at patch resolution). On the CPU every pair runs pydensecrf and ``dense_crf_torch`` on the same
image one after the other (order alternating), one image per call; it prints per-image seconds
of both as median [min-max], the median and range of the per-pair speed-up, the argmax agreement
(fraction of pixels) and the largest probability difference. The Gaussian kernel's operator
depends on the image size only: it is built once per size (its cost is printed separately) and
the pairs start after one warm-up call. On CUDA a batch of images runs in one call.
"""
import argparse
import statistics
import time

import numpy as np
import torch
from skimage import data
from skimage.transform import resize

from useg.postprocess import dense_crf, dense_crf_torch
from useg.postprocess import crf_torch


def photo(name, size):
    """``(size, size, 3)`` uint8 RGB of ``skimage.data.<name>``."""
    image = getattr(data, name)()
    return (resize(image, (size, size), anti_aliasing=True) * 255).round().astype(np.uint8)


def noisy_log_probs(num_classes, size, seed, stride=8, scale=2.0):
    """``(K, size / stride, size / stride)`` log-softmax of Gaussian noise."""
    generator = torch.Generator().manual_seed(seed)
    logits = scale * torch.randn(num_classes, size // stride, size // stride, generator=generator)
    return torch.log_softmax(logits, 0)


def timed(function, synchronize=lambda: None):
    start = time.perf_counter()
    result = function()
    synchronize()
    return result, time.perf_counter() - start


def spread(values, digits=3):
    return (f'{statistics.median(values):.{digits}f} '
            f'[{min(values):.{digits}f}-{max(values):.{digits}f}]')


def cpu_pairs(image, log_probs, args):
    """Interleaved pydensecrf / torch pairs on one image -> table row fields."""
    reference_seconds, torch_seconds = [], []
    images = torch.from_numpy(image)[None]
    for pair in range(args.pairs):
        runs = [('reference', lambda: dense_crf(image, log_probs, args.iterations)),
                ('torch', lambda: dense_crf_torch(images, log_probs[None], args.iterations)[0])]
        for name, function in runs if pair % 2 == 0 else runs[::-1]:
            result, seconds = timed(function)
            if name == 'reference':
                reference, _ = result, reference_seconds.append(seconds)
            else:
                probs, _ = result.numpy(), torch_seconds.append(seconds)
    ratios = [a / b for a, b in zip(reference_seconds, torch_seconds)]
    agreement = (probs.argmax(0) == reference.argmax(0)).mean()
    return reference_seconds, torch_seconds, ratios, agreement, np.abs(probs - reference).max()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size', type=int, default=320)
    parser.add_argument('--classes', type=int, nargs='+', default=[27, 3])
    parser.add_argument('--photos', nargs='+', default=['astronaut', 'coffee'])
    parser.add_argument('--iterations', type=int, default=10)
    parser.add_argument('--pairs', type=int, default=7, help='interleaved pairs per row (CPU)')
    parser.add_argument('--cuda-batch', type=int, default=8, help='images per call on CUDA')
    parser.add_argument('--device', nargs='+', default=['cpu'] + (
        ['cuda'] if torch.cuda.is_available() else []), choices=['cpu', 'cuda'])
    args = parser.parse_args()
    print(f'{args.size}x{args.size}, {args.iterations} iterations, torch threads '
          f'{torch.get_num_threads()}, {args.pairs} interleaved pairs per row; seconds per image '
          f'as median [min-max]')
    crf_torch._gaussian_message.cache_clear()
    _, seconds = timed(lambda: crf_torch._gaussian_message(
        args.size, args.size, 1.0, 3.0, torch.device('cpu')))
    print(f'Gaussian operator for {args.size}x{args.size} (once per image size, CPU): '
          f'{seconds:.3f} s')
    print('| photo | K | pydensecrf s/img | torch CPU s/img | speed-up (per pair) | '
          'argmax agreement | max |p - p_ref| | torch CUDA s/img (batch) | CUDA speed-up |')
    print('|---|---|---|---|---|---|---|---|---|')
    for name in args.photos:
        image = photo(name, args.size)
        for num_classes in args.classes:
            log_probs = noisy_log_probs(num_classes, args.size, seed=num_classes)
            row = [name, str(num_classes)]
            reference_seconds = None
            if 'cpu' in args.device:
                dense_crf_torch(torch.from_numpy(image)[None], log_probs[None], 1)  # warm-up
                reference_seconds, torch_seconds, ratios, agreement, difference = cpu_pairs(
                    image, log_probs, args)
                row += [spread(reference_seconds), spread(torch_seconds), spread(ratios, 2) + '×',
                        f'{100 * agreement:.3f} %', f'{difference:.1e}']
            else:
                row += ['-'] * 5
            if 'cuda' in args.device:
                images = torch.from_numpy(image)[None].expand(args.cuda_batch, -1, -1, -1).cuda()
                maps = log_probs[None].expand(args.cuda_batch, -1, -1, -1).cuda()
                dense_crf_torch(images, maps, args.iterations)  # warm-up: kernels, allocator
                _, seconds = timed(lambda: dense_crf_torch(images, maps, args.iterations),
                                   torch.cuda.synchronize)
                per_image = seconds / args.cuda_batch
                row += [f'{per_image:.4f} ({args.cuda_batch})',
                        f'{statistics.median(reference_seconds) / per_image:.0f}×'
                        if reference_seconds else '-']
            else:
                row += ['-', '-']
            print('| ' + ' | '.join(row) + ' |', flush=True)


if __name__ == '__main__':
    main()
