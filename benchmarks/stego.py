"""STEGO benchmarks: one training step (fp32 vs AMP) and the KNN precompute (chunked vs dense).

    python benchmarks/stego.py                       # everything, on CUDA when present, else CPU
    python benchmarks/stego.py --only train --device cpu --batch-size 4
    python benchmarks/stego.py --only knn --knn-size 10000

Training: ``STEGOSegmentor`` with a random-weight DINO ``--arch`` backbone (no download), D = 70,
cluster + linear probes, three Adam optimisers; images/s of ``train_step`` (image + KNN neighbour
per sample, so 2 x batch backbone passes) and peak memory. AMP is bf16 autocast (CPU and CUDA).
KNN: ``nearest_neighbors`` (chunked, O(N * k) extra memory) vs the dense N x N similarity + top-k,
on ``--knn-size`` random ``--knn-dim``-dim vectors. Every measurement runs in its own process, so
the CPU peak (max RSS growth over the state before the measured call) is not polluted by another.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

import useg  # noqa: E402,F401  (mmcv.ops stand-in before mmseg)

CODE_DIM, NUM_CLASSES = 70, 27
STEGO_LOSS = dict(type='STEGOCorrelationLoss', pos_intra_weight=0.1, pos_inter_weight=1.0,
                  neg_inter_weight=0.1538476246415498, pos_intra_shift=0.12, pos_inter_shift=0.2,
                  neg_inter_shift=1.0)


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class PeakMemory:
    """Peak memory growth (MiB) during the block: CUDA allocator peak, or CPU max-RSS growth."""

    def __init__(self, device):
        self.device = torch.device(device)

    def __enter__(self):
        if self.device.type == 'cuda':
            torch.cuda.synchronize()
            torch.cuda.reset_peak_memory_stats()
            self.start = torch.cuda.memory_allocated()
        else:
            self.start = peak_rss_mib()
        return self

    def __exit__(self, *exc):
        if self.device.type == 'cuda':
            torch.cuda.synchronize()
            self.mib = (torch.cuda.max_memory_allocated() - self.start) / 2 ** 20
        else:
            self.mib = peak_rss_mib() - self.start


def build_model(arch, device):
    from mmengine.registry import init_default_scope
    from useg.models.backbones.vit_archs import resolve_vit_arch
    from useg.registry import MODELS
    init_default_scope('useg')
    channels = resolve_vit_arch(arch).vit_kwargs['embed_dim']
    model = MODELS.build(dict(
        type='STEGOSegmentor', num_classes=NUM_CLASSES, correlation_loss=STEGO_LOSS,
        backbone=dict(type='DINOViT', arch=arch),
        head=dict(type='ProjectionHead', in_channels=channels, channels=CODE_DIM),
        cluster_probe=dict(type='ClusterProbe', in_channels=CODE_DIM, num_clusters=NUM_CLASSES),
        linear_probe=dict(type='LinearProbe', in_channels=CODE_DIM, num_classes=NUM_CLASSES),
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                               std=[58.395, 57.12, 57.375], bgr_to_rgb=True, size=None,
                               size_divisor=8)))
    return model.to(device).train()


def make_batch(batch_size, size):
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    from useg.neighbors import NEIGHBOR_INPUTS
    inputs, samples = [], []
    for _ in range(batch_size):
        inputs.append(torch.randint(0, 256, (3, size, size), dtype=torch.uint8))
        sample = SegDataSample(metainfo=dict(img_shape=(size, size), ori_shape=(size, size)))
        sample.gt_sem_seg = PixelData(data=torch.randint(0, NUM_CLASSES, (1, size, size)))
        sample.set_field(torch.randint(0, 256, (3, size, size), dtype=torch.uint8), NEIGHBOR_INPUTS)
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def optim_wrappers(model, amp, device):
    from mmengine.optim import AmpOptimWrapper, OptimWrapper, OptimWrapperDict
    wrappers = {}
    for name, lr in (('head', 5e-4), ('cluster_probe', 5e-3), ('linear_probe', 5e-3)):
        optimizer = torch.optim.Adam(getattr(model, name).parameters(), lr=lr)
        wrappers[name] = AmpOptimWrapper(optimizer=optimizer, dtype='bfloat16') \
            if amp and device.type == 'cuda' else OptimWrapper(optimizer)
    return OptimWrapperDict(**wrappers)


def measure_train(args):
    device = torch.device(args.device)
    model = build_model(args.arch, device)
    wrappers = optim_wrappers(model, args.amp, device)
    batch = make_batch(args.batch_size, args.size)
    autocast = torch.autocast('cpu', dtype=torch.bfloat16, enabled=args.amp and device.type == 'cpu')
    with PeakMemory(device) as memory:  # warm-up included: the first step allocates Adam state
        for _ in range(args.warmup):
            with autocast:
                model.train_step(batch, wrappers)
        if device.type == 'cuda':
            torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(args.steps):
            with autocast:
                model.train_step(batch, wrappers)
        if device.type == 'cuda':
            torch.cuda.synchronize()
        seconds = (time.perf_counter() - start) / args.steps
    return dict(what='train_step', arch=args.arch, batch=args.batch_size, size=args.size,
                amp=args.amp, device=str(device), seconds_per_step=round(seconds, 3),
                images_per_s=round(args.batch_size / seconds, 2), peak_mib=round(memory.mib, 1))


def measure_knn(args):
    from useg.neighbors import dense_nearest_neighbors, nearest_neighbors
    device = torch.device(args.device)
    descriptors = torch.randn(args.knn_size, args.knn_dim, generator=torch.Generator().manual_seed(0))
    descriptors = descriptors.to(device)
    search = (lambda: dense_nearest_neighbors(descriptors, args.knn_k)) if args.dense else \
        (lambda: nearest_neighbors(descriptors, args.knn_k))
    with PeakMemory(device) as memory:
        start = time.perf_counter()
        search()
        if device.type == 'cuda':
            torch.cuda.synchronize()
        seconds = time.perf_counter() - start
    return dict(what='knn_dense' if args.dense else 'knn_chunked', n=args.knn_size, dim=args.knn_dim,
                k=args.knn_k, device=str(device), seconds=round(seconds, 3),
                peak_mib=round(memory.mib, 1))


def run_child(kind, argv):
    """One measurement in a fresh process; returns its JSON result (or the error text)."""
    result = subprocess.run([sys.executable, os.path.abspath(__file__), '--child', kind, *argv],
                            capture_output=True, text=True)
    lines = [line for line in result.stdout.splitlines() if line.startswith('{')]
    if result.returncode or not lines:
        return dict(argv=argv, error=result.stderr.strip().splitlines()[-1:])
    return json.loads(lines[-1])


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--only', choices=['train', 'knn'])
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--arch', default='dino_vitb8')
    parser.add_argument('--batch-size', type=int, default=16)
    parser.add_argument('--size', type=int, default=224)
    parser.add_argument('--steps', type=int, default=1, help='timed steps (after --warmup)')
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--knn-size', type=int, default=10000)
    parser.add_argument('--knn-dim', type=int, default=768)
    parser.add_argument('--knn-k', type=int, default=30)
    parser.add_argument('--amp', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--dense', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--child', choices=['train', 'knn'], help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        torch.manual_seed(0)
        print(json.dumps(measure_train(args) if args.child == 'train' else measure_knn(args)))
        return
    common = ['--device', args.device]
    train = common + ['--arch', args.arch, '--batch-size', str(args.batch_size), '--size',
                      str(args.size), '--steps', str(args.steps), '--warmup', str(args.warmup)]
    knn = common + ['--knn-size', str(args.knn_size), '--knn-dim', str(args.knn_dim), '--knn-k',
                    str(args.knn_k)]
    jobs = []
    if args.only in (None, 'train'):
        jobs += [('train', train), ('train', train + ['--amp'])]
    if args.only in (None, 'knn'):
        jobs += [('knn', knn), ('knn', knn + ['--dense'])]
    print(f'torch {torch.__version__}, device {args.device}, threads {torch.get_num_threads()}')
    for kind, argv in jobs:
        print(json.dumps(run_child(kind, argv)), flush=True)


if __name__ == '__main__':
    main()
