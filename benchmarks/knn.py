"""Cosine KNN search: STEGO's precompute_knns search vs ``useg.neighbors.nearest_neighbors``.

``taskset -c 0 env OMP_NUM_THREADS=1 python benchmarks/knn.py [--sizes 500 4000 16000 49000]
[--channels 384] [--k 30] [--repeats 3]``

Reference (:func:`stego_search`): L2-normalised descriptors, the rows in 16 chunks, each chunk's
full ``(N / 16, N)`` similarity matmul against all rows, ``topk(k)``. Candidate:
``nearest_neighbors(descriptors, k, query_chunk_size=1024, key_chunk_size=4096)``, the chunk
sizes ``precompute_knn`` uses. Printed per N: median [min-max] seconds of interleaved pairs, the
speed-up, the largest similarity block of each (floats), and whether the neighbour indices are
the same.
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F

from useg.neighbors import nearest_neighbors

REFERENCE_CHUNKS = 16  # STEGO: the similarity rows in 16 chunks
QUERY_CHUNK, KEY_CHUNK = 1024, 4096  # precompute_knn's search blocks (chunk_size=1024)


def stego_search(descriptors, k):
    """STEGO's search: ``(N, C)`` -> ``(N, k)`` indices (column 0 = the row itself)."""
    unit = F.normalize(descriptors, dim=1)
    step = -(-len(unit) // REFERENCE_CHUNKS)
    return torch.cat([(chunk @ unit.T).topk(k, dim=1).indices for chunk in unit.split(step)])


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return result, time.perf_counter() - start


def summary(values):
    return f'{statistics.median(values):.4f} [{min(values):.4f}-{max(values):.4f}]'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--sizes', type=int, nargs='+', default=[500, 4000, 16000, 49000])
    parser.add_argument('--channels', type=int, default=384)
    parser.add_argument('--k', type=int, default=30)
    parser.add_argument('--repeats', type=int, default=3)
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f'C={args.channels}, k={args.k}, torch threads {torch.get_num_threads()}; seconds, '
          'median [min-max] of interleaved pairs')
    for count in args.sizes:
        descriptors = torch.randn(count, args.channels, generator=torch.Generator().manual_seed(0))
        reference_times, candidate_times = [], []
        for _ in range(args.repeats):
            reference, seconds = timed(stego_search, descriptors, args.k)
            reference_times.append(seconds)
            (indices, _), seconds = timed(nearest_neighbors, descriptors, args.k,
                                          query_chunk_size=QUERY_CHUNK, key_chunk_size=KEY_CHUNK)
            candidate_times.append(seconds)
        speed_ups = [r / c for r, c in zip(reference_times, candidate_times)]
        reference_block = -(-count // REFERENCE_CHUNKS) * count
        block = min(QUERY_CHUNK, count) * min(KEY_CHUNK, count)
        print(f'N={count:6d} reference {summary(reference_times)}  useg {summary(candidate_times)}'
              f'  speed-up {summary(speed_ups)}x  block {reference_block} vs {block}  same '
              f'neighbours {torch.equal(indices, reference)}', flush=True)


if __name__ == '__main__':
    main()
