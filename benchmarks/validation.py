"""First vs repeated validation time with and without the frozen-feature memo.

    python benchmarks/validation.py                              # tiny sizes, CPU (or CUDA)
    python benchmarks/validation.py --arch dino_vitb8 --size 320 --images 32 --rounds 3

Generates ``--images`` synthetic validation scenes of ``--size`` px, builds the baseline config with
a random-weight ``--arch`` backbone (no download) and flip-averaged prediction, and runs the
validation loop ``--rounds`` times with ``FrozenFeatureMemoHook`` as useg's runner adds it (it
switches itself off after the first round where it does not pay) and without the hook. Prints
seconds per round side by side: where the memo stays on, the 2nd..Nth round costs only the head,
the probes and the metric.
"""
import argparse
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import torch  # noqa: E402

import useg  # noqa: E402,F401
from useg.apis import build_runner, load_config, set_data_root  # noqa: E402
from useg.datasets import make_synthetic_dataset  # noqa: E402

CONFIG = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), 'configs',
                      'baseline', 'tiny_synthetic.py')
WIDTHS = {'vit_tiny_p8': 48, 'dino_vits8': 384, 'dino_vitb8': 768, 'dino_vits16': 384}


def validation_rounds(args, data_root, work_dir, memo):
    cfg = load_config(CONFIG, work_dir=work_dir)
    set_data_root(cfg, data_root)
    width = WIDTHS[args.arch]
    cfg.model.backbone.arch = args.arch
    cfg.model.cluster_probe.in_channels = cfg.model.linear_probe.in_channels = width
    cfg.model.test_cfg = dict(flip=True)
    cfg.val_dataloader.batch_size = args.batch_size
    cfg.log_level = 'WARNING'
    runner = build_runner(cfg)
    memo_hooks = [hook for hook in runner.hooks if type(hook).__name__ == 'FrozenFeatureMemoHook']
    if not memo:
        for hook in memo_hooks:
            runner.hooks.remove(hook)
    runner.model.to(args.device)
    seconds = []
    for _ in range(args.rounds):
        if args.device.startswith('cuda'):
            torch.cuda.synchronize()
        start = time.perf_counter()
        runner.val_loop.run()
        if args.device.startswith('cuda'):
            torch.cuda.synchronize()
        seconds.append(time.perf_counter() - start)
    if memo:
        hook = memo_hooks[0]
        print(f"memo: {hook.too_costly or 'kept on'} (serve {1e3 * hook.serve_seconds:.2f} ms, "
              f"compute {1e3 * hook.backbone_seconds:.2f} ms per sample)")
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--arch', default='vit_tiny_p8', choices=sorted(WIDTHS))
    parser.add_argument('--size', type=int, default=96)
    parser.add_argument('--images', type=int, default=16)
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        make_synthetic_dataset(os.path.join(root, 'data'), num_train=1, num_val=args.images,
                               size=(args.size, args.size), num_classes=4, seed=0)
        results = {memo: validation_rounds(args, os.path.join(root, 'data'),
                                           os.path.join(root, f'work_{memo}'), memo)
                   for memo in (False, True)}
    print(f'validation of {args.images} images of {args.size} px, {args.arch}, flip, '
          f'{args.device}, torch threads {torch.get_num_threads()}')
    print(f'{"round":>5} {"no memo (s)":>12} {"memo (s)":>10} {"speed-up":>9}')
    for index, (plain, memo) in enumerate(zip(results[False], results[True]), 1):
        print(f'{index:>5} {plain:>12.3f} {memo:>10.3f} {plain / memo:>8.2f}x')


if __name__ == '__main__':
    main()
