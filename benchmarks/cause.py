"""CAUSE benchmarks: stage-1 and stage-2 step time and peak memory (fp32 vs AMP), and the
modularity loss with the ``B x M x N^2`` co-membership tensor materialised vs chunked.

    python benchmarks/cause.py                                   # small defaults, CPU or CUDA
    python benchmarks/cause.py --arch dino_vitb8 --size 320 --batch-size 16   # the paper setting
    python benchmarks/cause.py --only modularity --batch-size 16 --tokens 100

Stage 1: frozen random-weight ``--arch`` backbone (no download) -> grid sampling (4 x 4 cells) ->
``ModularityLoss`` to ``--num-codebook`` prototypes -> Adam step. Stage 2: one
``CAUSESegmentor.train_step`` of the ``--structure`` head (D = 90, projection 2048, concept bank,
EMA). AMP is fp16 autocast on CUDA (bf16 on the CPU). Modularity: the loss and its backward on
``--batch-size`` images of ``--tokens`` grid-sampled tokens, dense (the reference) vs
``prototype_chunk=--chunk``; both values are printed with the memory saved. Every measurement
runs in its own process so CPU peaks (max-RSS growth) do not pollute each other.
"""
import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

import useg  # noqa: E402,F401  (mmcv.ops stand-in before mmseg)
from stego import PeakMemory  # noqa: E402  (benchmarks/stego.py: CUDA peak or CPU max-RSS growth)

NUM_CLASSES = 27


def _autocast(args, device):
    dtype = torch.float16 if device.type == 'cuda' else torch.bfloat16
    return torch.autocast(device.type, dtype=dtype, enabled=args.amp)


def _backbone(arch, device):
    from mmengine.registry import init_default_scope
    from useg.registry import MODELS
    init_default_scope('useg')
    import useg_cause  # noqa: F401
    return MODELS.build(dict(type='DINOViT', arch=arch)).to(device)


def _timed(args, device, step):
    with PeakMemory(device) as memory:  # warm-up included: the first step allocates Adam state
        for _ in range(args.warmup):
            step()
        if device.type == 'cuda':
            torch.cuda.synchronize()
        start = time.perf_counter()
        for _ in range(args.steps):
            step()
        if device.type == 'cuda':
            torch.cuda.synchronize()
    return (time.perf_counter() - start) / args.steps, memory.mib


def measure_stage1(args):
    from useg_cause import ModularityLoss, draw_grid_order, grid_sample_tokens
    from useg_cause.cause_head import map_to_tokens
    device = torch.device(args.device)
    backbone = _backbone(args.arch, device)
    codebook = torch.empty(args.num_codebook, backbone.embed_dim, device=device).uniform_(
        -1 / args.num_codebook, 1 / args.num_codebook).requires_grad_()
    optimizer = torch.optim.Adam([codebook], lr=1e-3)
    scaler = torch.amp.GradScaler('cuda', enabled=args.amp and device.type == 'cuda')
    loss_fn = ModularityLoss(0.1, args.chunk if args.chunked else None)
    images = torch.randn(args.batch_size, 3, args.size, args.size, device=device)

    def step():
        with _autocast(args, device):
            tokens = map_to_tokens(backbone(images)).float()
            order = draw_grid_order(len(tokens), int(round(tokens.shape[1] ** 0.5)))
            loss = loss_fn(grid_sample_tokens(tokens, order), codebook)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()

    seconds, mib = _timed(args, device, step)
    return dict(what='stage1_step', arch=args.arch, batch=args.batch_size, size=args.size,
                num_codebook=args.num_codebook, chunk=args.chunk if args.chunked else None,
                amp=args.amp, device=str(device), seconds_per_step=round(seconds, 3),
                peak_mib=round(mib, 1))


def measure_stage2(args):
    from mmengine.optim import AmpOptimWrapper, OptimWrapper, OptimWrapperDict
    from mmengine.registry import init_default_scope
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    from useg.models.backbones.vit_archs import resolve_vit_arch
    from useg.registry import MODELS
    import useg_cause  # noqa: F401
    init_default_scope('useg')
    device = torch.device(args.device)
    kwargs = resolve_vit_arch(args.arch).vit_kwargs
    channels, patch = kwargs['embed_dim'], kwargs['patch_size']
    model = MODELS.build(dict(
        type='CAUSESegmentor', num_classes=NUM_CLASSES, backbone=dict(type='DINOViT', arch=args.arch),
        head=dict(type='CAUSEHead', structure=args.structure, in_channels=channels, channels=90,
                  num_tokens=(args.size // patch) ** 2),
        num_codebook=args.num_codebook, head_iters=10 ** 9,
        contrastive_loss=dict(type='ConceptContrastiveLoss'),
        modularity_loss=dict(type='ModularityLoss'),
        cluster_probe=dict(type='ClusterProbe', in_channels=90, num_clusters=NUM_CLASSES),
        linear_probe=dict(type='LinearProbe', in_channels=90, num_classes=NUM_CLASSES),
        train_cfg=dict(train_cluster_probe=False),
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                               std=[58.395, 57.12, 57.375], bgr_to_rgb=True, size_divisor=patch)))
    model = model.to(device).train()
    model.set_codebook(torch.randn(args.num_codebook, channels))
    wrappers = {}
    for name in ('student', 'linear_probe'):
        optimizer = torch.optim.Adam(getattr(model, name).parameters(), lr=4e-3)
        wrappers[name] = AmpOptimWrapper(optimizer=optimizer, dtype='float16') \
            if args.amp and device.type == 'cuda' else OptimWrapper(optimizer)
    wrappers = OptimWrapperDict(**wrappers)
    size = args.size
    samples = []
    for _ in range(args.batch_size):
        sample = SegDataSample(metainfo=dict(img_shape=(size, size), ori_shape=(size, size)))
        sample.gt_sem_seg = PixelData(data=torch.randint(0, NUM_CLASSES, (1, size, size)))
        samples.append(sample)
    batch = dict(inputs=[torch.randint(0, 256, (3, size, size), dtype=torch.uint8)
                         for _ in range(args.batch_size)], data_samples=samples)
    cpu_amp = torch.autocast('cpu', dtype=torch.bfloat16, enabled=args.amp and device.type == 'cpu')

    def step():
        with cpu_amp:
            model.train_step(batch, wrappers)

    seconds, mib = _timed(args, device, step)
    return dict(what='stage2_step', structure=args.structure, arch=args.arch,
                batch=args.batch_size, size=size, amp=args.amp, device=str(device),
                bank_rows=len(model.bank), seconds_per_step=round(seconds, 3),
                peak_mib=round(mib, 1))


def measure_modularity(args):
    from useg_cause import ModularityLoss
    device = torch.device(args.device)
    generator = torch.Generator().manual_seed(0)
    tokens = torch.randn(args.batch_size, args.tokens, args.dim, generator=generator).to(device)
    centroids = torch.randn(args.num_codebook, args.dim, generator=generator).to(device)
    centroids.requires_grad_()
    loss_fn = ModularityLoss(0.1, args.chunk if args.chunked else None)
    with PeakMemory(device) as memory:
        start = time.perf_counter()
        loss = loss_fn(tokens, centroids)
        loss.backward()
        if device.type == 'cuda':
            torch.cuda.synchronize()
        seconds = time.perf_counter() - start
    return dict(what='modularity_chunked' if args.chunked else 'modularity_dense',
                batch=args.batch_size, tokens=args.tokens, prototypes=args.num_codebook,
                chunk=args.chunk if args.chunked else None,
                elements_BxMxN2=args.batch_size * args.num_codebook * args.tokens ** 2,
                device=str(device), loss=float(loss), seconds=round(seconds, 3),
                peak_mib=round(memory.mib, 1))


MEASURES = dict(stage1=measure_stage1, stage2=measure_stage2, modularity=measure_modularity)


def run_child(kind, argv):
    """One measurement in a fresh process; returns its JSON result (or the error text)."""
    result = subprocess.run([sys.executable, os.path.abspath(__file__), '--child', kind, *argv],
                            capture_output=True, text=True)
    lines = [line for line in result.stdout.splitlines() if line.startswith('{')]
    if result.returncode or not lines:
        return dict(kind=kind, argv=argv, error=result.stderr.strip().splitlines()[-1:])
    return json.loads(lines[-1])


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--only', choices=sorted(MEASURES))
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--arch', default='vit_tiny_p8', help='paper: dino_vitb8')
    parser.add_argument('--structure', choices=['mlp', 'tr'], default='tr')
    parser.add_argument('--batch-size', type=int, default=4, help='paper: 16')
    parser.add_argument('--size', type=int, default=160, help='paper: 320')
    parser.add_argument('--num-codebook', type=int, default=2048)
    parser.add_argument('--tokens', type=int, default=100, help='modularity: N (10 x 10 at /8, 320)')
    parser.add_argument('--dim', type=int, default=768, help='modularity: token channels')
    parser.add_argument('--chunk', type=int, default=128, help='prototypes per chunk')
    parser.add_argument('--steps', type=int, default=1, help='timed steps (after --warmup)')
    parser.add_argument('--warmup', type=int, default=1)
    parser.add_argument('--amp', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--chunked', action='store_true', help=argparse.SUPPRESS)
    parser.add_argument('--child', choices=sorted(MEASURES), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    if args.child:
        torch.manual_seed(0)
        print(json.dumps(MEASURES[args.child](args)))
        return
    common = ['--device', args.device, '--batch-size', str(args.batch_size), '--num-codebook',
              str(args.num_codebook), '--chunk', str(args.chunk)]
    step = common + ['--arch', args.arch, '--size', str(args.size), '--steps', str(args.steps),
                     '--warmup', str(args.warmup), '--structure', args.structure]
    modularity = common + ['--tokens', str(args.tokens), '--dim', str(args.dim)]
    jobs = []
    if args.only in (None, 'stage1'):
        jobs += [('stage1', step), ('stage1', step + ['--amp']), ('stage1', step + ['--chunked'])]
    if args.only in (None, 'stage2'):
        jobs += [('stage2', step), ('stage2', step + ['--amp'])]
    if args.only in (None, 'modularity'):
        jobs += [('modularity', modularity), ('modularity', modularity + ['--chunked'])]
    print(f'torch {torch.__version__}, device {args.device}, threads {torch.get_num_threads()}')
    results = []
    for kind, argv in jobs:
        results.append(run_child(kind, argv))
        print(json.dumps(results[-1]), flush=True)
    dense = [r for r in results if r.get('what') == 'modularity_dense']
    chunked = [r for r in results if r.get('what') == 'modularity_chunked']
    if dense and chunked:
        saved = dense[0]['peak_mib'] - chunked[0]['peak_mib']
        print(f'modularity: dense {dense[0]["peak_mib"]} MiB vs chunked {chunked[0]["peak_mib"]} MiB '
              f'-> {saved:.1f} MiB saved; |loss difference| = '
              f'{abs(dense[0]["loss"] - chunked[0]["loss"]):.2e}')


if __name__ == '__main__':
    main()
