"""Data-parallel scaling: training samples/s with 1 vs N processes (``torchrun --launcher pytorch``).

    python benchmarks/ddp.py                                  # baseline + STEGO tiny configs, 1 vs 2
    python benchmarks/ddp.py --configs primaps --nproc 2 --iters 20 --batch-size 4

On CPU the processes use gloo (every process gets ``--threads`` threads: compare with the same
total cores, e.g. 1 process x 2 threads vs 2 processes x 1 thread); with CUDA each process uses
one GPU and ``--nproc`` defaults to the GPU count. The batch per process is fixed (weak scaling),
so the global batch is ``nproc x batch``. samples/s = global batch / mean iteration time of the
second half of the run (mmengine's ``time`` log, warm-up excluded); efficiency =
samples/s(N) / (N x samples/s(1)). Data: the generated synthetic scenes (random-weight tiny ViT).
"""
import argparse
import os
import os.path as osp
import re
import socket
import subprocess
import sys
import tempfile

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, REPO_ROOT)

import torch  # noqa: E402

import useg  # noqa: E402,F401  (mmcv.ops stand-in before mmseg)

ITER_TIME = re.compile(r'Iter\(train\).*?\btime: ([0-9.]+)')


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def prepared_config(plugin, data_root, work, args):
    """The plugin's tiny config on ``data_root`` with its caches built (single process)."""
    from useg.apis import load_config, set_data_root
    cfg = load_config(osp.join(REPO_ROOT, 'configs', plugin, 'tiny_synthetic.py'), {
        'train_cfg.max_iters': args.iters, 'train_cfg.val_interval': 10 ** 6,
        'default_hooks.checkpoint.interval': 10 ** 6,
        'default_hooks.logger.interval': max(1, args.iters // 2),
        'train_dataloader.batch_size': args.batch_size})
    set_data_root(cfg, data_root)
    from useg.tools.precompute import run_precomputes
    if cfg.get('pseudo_labels'):
        cfg.pseudo_labels.cache_dir = osp.join(work, 'pseudo_labels')
    if cfg.train_dataloader.dataset.get('type') == 'KNNPairDataset':
        cfg.train_dataloader.dataset.knn.cache_dir = osp.join(work, 'knn')
    run_precomputes(cfg, workers=0)
    path = osp.join(work, f'{plugin}.py')
    cfg.dump(path)
    return path


def samples_per_second(config, nproc, work_dir, args):
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), PYTHONPATH=REPO_ROOT)
    result = subprocess.run(
        [sys.executable, '-m', 'torch.distributed.run', f'--nproc_per_node={nproc}',
         f'--master_port={free_port()}', osp.join(REPO_ROOT, 'tools', 'train.py'), config,
         '--launcher', 'pytorch', '--work-dir', work_dir, '--threads', str(args.threads)],
        env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f'{config} with {nproc} processes failed:\n{result.stderr[-3000:]}')
    times = [float(t) for t in ITER_TIME.findall(result.stdout + result.stderr)]
    return nproc * args.batch_size / times[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--configs', nargs='+', default=['baseline', 'stego'],
                        help='plugins whose tiny_synthetic.py to train')
    cuda = torch.cuda.device_count()
    parser.add_argument('--nproc', type=int, default=cuda if cuda > 1 else 2)
    parser.add_argument('--iters', type=int, default=20)
    parser.add_argument('--batch-size', type=int, default=4, help='images per process')
    parser.add_argument('--threads', type=int, default=1, help='CPU threads per process')
    args = parser.parse_args()
    from useg.datasets import make_synthetic_dataset
    device = f'{cuda} CUDA GPU(s)' if cuda else f'CPU ({os.cpu_count()} cores), gloo'
    print(f'device: {device}; batch {args.batch_size} per process, {args.iters} iterations, '
          f'{args.threads} thread(s) per process')
    print(f'{"config":<14}{"1 proc samples/s":>18}{f"{args.nproc} procs samples/s":>20}'
          f'{"speed-up":>10}{"efficiency":>12}')
    with tempfile.TemporaryDirectory() as work:
        data_root = osp.join(work, 'data')
        make_synthetic_dataset(data_root, num_train=64, num_val=8, size=(96, 96), num_classes=4,
                               seed=0)
        for plugin in args.configs:
            config = prepared_config(plugin, data_root, work, args)
            one = samples_per_second(config, 1, osp.join(work, f'{plugin}_1'), args)
            many = samples_per_second(config, args.nproc, osp.join(work, f'{plugin}_n'), args)
            print(f'{plugin:<14}{one:>18.1f}{many:>20.1f}{many / one:>10.2f}'
                  f'{many / one / args.nproc:>11.0%}')


if __name__ == '__main__':
    main()
