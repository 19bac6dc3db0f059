"""Every benchmark once, in one process tree, within a time budget: ``python benchmarks/run_all.py
--device cuda [--budget 480]``.

Runs the benchmarks that take ``--device`` on that device (CRF vs pydensecrf, backbone fp32 vs
bf16 and share of peak, STEGO / CAUSE / SmooSeg steps, repeated validation) and the CPU-side ones
(PriMaPs labeler vs the reference, KNN vs the reference, DDP scaling) with short settings, prints
each one's table rows as it finishes and a summary line per benchmark (seconds, exit status).
A benchmark still running when the budget is spent is stopped and reported as such. Meant for a
lent GPU machine (record the rows in docs/performance.md); never run in CI.
"""
import argparse
import os.path as osp
import subprocess
import sys
import time

HERE = osp.dirname(osp.abspath(__file__))


def commands(device):
    """``[(name, argv)]`` in the order they run (the cheap, most-asked rows first)."""
    on_device = ['--device', device]
    return [
        ('crf', ['crf.py', '--pairs', '3', '--cuda-batch', '8', *on_device]),
        ('backbone_precision', ['backbone_precision.py', '--pairs', '3', '--batch-size', '8',
                                *on_device]),
        ('backbones', ['backbones.py', '--quick', *on_device]),
        ('primaps', ['primaps.py', '--repeats', '1']),
        ('knn', ['knn.py', '--sizes', '4000', '16000', '--repeats', '1']),
        ('stego', ['stego.py', *on_device]),
        ('cause', ['cause.py', *on_device]),
        ('smooseg', ['smooseg.py', *on_device]),
        ('validation', ['validation.py', *on_device]),
        ('ddp', ['ddp.py', '--iters', '5']),
    ]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--device', default='cuda')
    parser.add_argument('--budget', type=float, default=480, help='seconds for all of them')
    parser.add_argument('--only', nargs='+', help='run only these benchmarks (names above)')
    args = parser.parse_args(argv)
    start, summary = time.time(), []
    for name, argv_ in commands(args.device):
        if args.only and name not in args.only:
            continue
        left = args.budget - (time.time() - start)
        if left <= 5:
            summary.append((name, 0.0, 'not run: budget spent'))
            continue
        print(f'\n==== {name}: python benchmarks/{" ".join(argv_)}', flush=True)
        began = time.time()
        try:
            done = subprocess.run([sys.executable, osp.join(HERE, argv_[0]), *argv_[1:]],
                                  timeout=left)
            status = f'exit {done.returncode}'
        except subprocess.TimeoutExpired:
            status = 'stopped: budget spent'
        summary.append((name, time.time() - began, status))
    print('\n| benchmark | seconds | status |\n|---|---|---|')
    for name, seconds, status in summary:
        print(f'| {name} | {seconds:.0f} | {status} |')


if __name__ == '__main__':
    main()
