"""Timings of HSG's per-step pieces at stage-2 shapes (CUDA when present, else CPU).

python benchmarks/hsg.py [--images 4]  (the paper runs 6 images = 12 views of 28x28 per GPU)
"""
import argparse
import time

import torch

import useg  # noqa: F401
import useg_hsg  # noqa: F401
from useg.registry import MODELS
from useg_hsg import extract_segments, knn_adjacency


def timed(name, function, repeats, device):
    function()
    if device.type == 'cuda':
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        result = function()
    if device.type == 'cuda':
        torch.cuda.synchronize()
    print(f'{name:<44s} {1000 * (time.perf_counter() - start) / repeats:9.2f} ms')
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--images', type=int, default=4, help='images per step (2 views each)')
    parser.add_argument('--size', type=int, default=28, help='feature grid side (448 / 16)')
    parser.add_argument('--repeats', type=int, default=3)
    args = parser.parse_args()
    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    torch.manual_seed(0)
    views, dim, size = 2 * args.images, 128, args.size
    print(f'device {device}; {args.images} images x 2 views, {size}x{size} features, D={dim}')
    code = torch.randn(views, dim, size, size, device=device, requires_grad=True)
    regions = torch.randint(0, 16, (args.images, 1, 4, 4), device=device)
    regions = torch.nn.functional.interpolate(regions.float(), size=(size, size)).long()
    regions = regions.repeat_interleave(2, 0)[:, 0]
    kmeans = MODELS.build(dict(type='SphericalKMeans', iterations=15, grid=(4, 4)))
    clusters = timed('spherical k-means 4x4, 15 it. (all views)',
                     lambda: kmeans.segment_views(code, regions != 255), args.repeats, device)
    grouping = MODELS.build(dict(type='HierarchicalGrouping', token_capacity=256)).to(device)
    positions = grouping.position_embedding(size, size)
    segments = timed('segments (cluster x region)',
                     lambda: extract_segments(code, clusters, regions, 2, positions),
                     args.repeats, device)
    print(f'  {segments.num_segments} segments, {segments.pixel_segment.numel()} pixels')
    loss = MODELS.build(dict(type='SegSortLoss', concentration=16))
    groups = segments.segment_image * 256 + segments.segment_region
    ids = torch.arange(segments.num_segments, device=device)

    def segsort_step():
        value = loss(segments.pixel_embeddings, segments.pixel_segment, segments.prototypes,
                     ids, groups[segments.pixel_segment], groups)
        value.backward(retain_graph=True)
        return value

    timed('SegSort+ loss forward + backward', segsort_step, args.repeats, device)
    result = timed('hierarchical grouping (2 transformers)',
                   lambda: grouping(segments, args.images), args.repeats, device)
    timed('per-view kNN graph (k=2)',
          lambda: knn_adjacency(result['tokens'], result['padding_mask'], result['view_ids'], 2),
          args.repeats, device)


if __name__ == '__main__':
    main()
