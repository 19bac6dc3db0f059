"""Training-step throughput and peak memory of SmooSeg against STEGO at the same batch and grid.

Both methods share the frozen backbone, so the benchmark times what differs: given backbone
features ``(B, C, h, w)``, one optimisation step of the trainable part (projection head, loss,
backward, Adam). SmooSeg: head + student/teacher prototypes + full-grid smoothness term
(``O((h w)^2)`` per image pair) + data term. STEGO (when the ``useg_stego`` plugin is installed):
head on the image and its KNN partner + sampled correlation loss (11 x 11 locations, 5 negatives)
+ cluster probe.

Each configuration runs in a fresh process so that its peak memory is its own: CUDA reports
``max_memory_allocated``; the CPU reports the growth of the process's peak resident set over its
state right before the first (warm-up) step. The full-grid term's main tensors are also
sized analytically.

    python benchmarks/smooseg.py                      # CPU: batch 8 and 32 at 28 x 28 tokens
    python benchmarks/smooseg.py --batch 32 --grid 28 --device cuda --amp
"""
import argparse
import json
import resource
import subprocess
import sys
import time

import torch


def smooseg_step_fn(channels, code_dim, num_classes, device):
    """The real ``SmooSegSegmentor`` training terms on given features (backbone unused)."""
    import useg_smooseg  # noqa: F401  (registration)
    from useg.registry import MODELS

    model = MODELS.build(dict(
        type='SmooSegSegmentor', backbone=dict(type='DINOViT', arch='vit_tiny_p8'),
        num_classes=num_classes,
        head=dict(type='ProjectionHead', in_channels=channels, channels=code_dim, dropout=0.2,
                  activation=dict(type='SiLU')),
        prototypes=dict(type='ClusterProbe', in_channels=code_dim, num_clusters=num_classes),
        loss=dict(type='SmooSegLoss', pos_intra_shift=-0.02, neg_inter_shift=0.5))).to(device)
    optimizer = torch.optim.Adam([dict(params=model.head.parameters(), lr=1e-4),
                                  dict(params=model.student_prototypes.parameters(), lr=5e-4)])

    def step(feats):
        losses = model.method_loss(feats, model.head(feats), [])
        model.update_teacher()
        return losses['loss_smooth'] + losses['loss_data'], optimizer

    return step


def stego_step_fn(channels, code_dim, num_classes, device):
    from useg.models import ClusterProbe, ProjectionHead
    from useg_stego.correlation_loss import STEGOCorrelationLoss

    head = ProjectionHead(channels, 70, dropout=0.1).to(device)
    probe = ClusterProbe(70, num_classes).to(device)
    loss = STEGOCorrelationLoss(0.67, 0.25, 0.63, 0.08, 0.02, 0.66)
    optimizer = torch.optim.Adam([dict(params=head.parameters(), lr=5e-4),
                                  dict(params=probe.parameters(), lr=5e-3)])

    def step(feats):
        feats_pos = feats.roll(1, dims=0)
        code, code_pos = head(feats), head(feats_pos)
        terms = loss(head.dropout_features(feats), head.dropout_features(feats_pos), code, code_pos)
        total = sum(value for key, value in terms.items() if key.startswith('loss_'))
        return total + probe(code.detach())[0], optimizer

    return step


METHODS = dict(smooseg=smooseg_step_fn, stego=stego_step_fn)


def peak_rss_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def measure(method, batch, grid, steps, device, amp, channels=384, num_classes=27):
    """Run ``steps`` optimisation steps in this process; returns a dict of figures."""
    torch.manual_seed(0)
    device = torch.device(device)
    step = METHODS[method](channels, 64, num_classes, device)
    feats = torch.randn(batch, channels, grid, grid, device=device)
    autocast = torch.autocast(device.type, dtype=torch.float16, enabled=amp)
    scaler = torch.amp.GradScaler(device.type, enabled=amp)

    def one_step():
        with autocast:
            total, optimizer = step(feats)
        optimizer.zero_grad()
        scaler.scale(total).backward()
        scaler.step(optimizer)
        scaler.update()

    if device.type == 'cpu':
        baseline = peak_rss_bytes()  # model and inputs only: the first step's buffers count
    one_step()  # warm-up (allocator, kernels)
    if device.type == 'cuda':
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        baseline = torch.cuda.memory_allocated()
    start = time.perf_counter()
    for _ in range(steps):
        one_step()
    if device.type == 'cuda':
        torch.cuda.synchronize()
        peak = torch.cuda.max_memory_allocated() - baseline
    else:
        peak = peak_rss_bytes() - baseline
    seconds = (time.perf_counter() - start) / steps
    return dict(method=method, batch=batch, grid=grid, device=device.type, amp=amp,
                ms_per_step=1000 * seconds, images_per_s=batch / seconds,
                peak_extra_mib=peak / 2 ** 20)


def full_grid_tensor_mib(batch, grid, bytes_per_entry=4):
    """Size of one ``(B, h, w, h, w)`` correlation tensor."""
    return batch * grid ** 4 * bytes_per_entry / 2 ** 20


def stego_available():
    try:
        import useg_stego.correlation_loss  # noqa: F401
    except ImportError:
        return False
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--batch', type=int, nargs='+', default=[8, 32])
    parser.add_argument('--grid', type=int, default=28, help='token grid side (224 px / 8)')
    parser.add_argument('--steps', type=int, default=3)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--amp', action='store_true', help='fp16 autocast (CUDA)')
    parser.add_argument('--single', help=argparse.SUPPRESS)  # internal: one method in-process
    args = parser.parse_args()
    if args.single:
        print(json.dumps(measure(args.single, args.batch[0], args.grid, args.steps, args.device,
                                 args.amp)))
        return
    methods = ['smooseg'] + (['stego'] if stego_available() else [])
    if len(methods) == 1:
        print('useg_stego is not installed: SmooSeg only')
    print(f'device={args.device} amp={args.amp} grid={args.grid}x{args.grid} steps={args.steps}')
    print(f'{"method":8s} {"batch":>5s} {"ms/step":>9s} {"img/s":>8s} {"peak MiB":>9s}')
    for batch in args.batch:
        for method in methods:
            command = [sys.executable, __file__, '--single', method, '--batch', str(batch),
                       '--grid', str(args.grid), '--steps', str(args.steps),
                       '--device', args.device] + (['--amp'] if args.amp else [])
            result = json.loads(subprocess.run(command, check=True, capture_output=True,
                                               text=True).stdout.strip().splitlines()[-1])
            print(f'{method:8s} {batch:5d} {result["ms_per_step"]:9.1f} '
                  f'{result["images_per_s"]:8.1f} {result["peak_extra_mib"]:9.1f}')
        print(f'  one (B, h, w, h, w) fp32 tensor of the full-grid term at B={batch}: '
              f'{full_grid_tensor_mib(batch, args.grid):.0f} MiB')


if __name__ == '__main__':
    main()
