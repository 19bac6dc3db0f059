"""Multi-process CPU (gloo) runs of a config through ``torchrun tools/train.py --launcher pytorch``."""
import os
import os.path as osp
import socket
import subprocess
import sys

import torch

from .paths import REPO_ROOT


def free_port():
    """A free local TCP port for the rendezvous."""
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def distributed_config(config, data_root, work_dir, tmp_path, **options):
    """``config`` on the generated data, with every rank saving its final weights
    (``<work_dir>/rank<r>.pth``); returns the path of the dumped config."""
    from useg.apis import load_config, set_data_root
    cfg = load_config(config, options, work_dir)
    set_data_root(cfg, data_root)
    cfg.custom_imports = dict(imports=['useg.testing.rank_weights_hook'], allow_failed_imports=False)
    cfg.custom_hooks = list(cfg.custom_hooks) + [dict(type='RankWeightsTestHook')]
    if cfg.get('pseudo_labels'):
        from useg.pseudo_labels import precompute_pseudo_labels
        cfg.pseudo_labels.cache_dir = str(tmp_path / 'pseudo_labels')
        precompute_pseudo_labels(cfg, workers=0)
    path = str(tmp_path / f'{osp.basename(work_dir)}.py')
    cfg.dump(path)
    return path


def torchrun(config, nproc):
    """Train ``config`` with ``nproc`` processes; asserts it exits 0 (its output tail if not)."""
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=REPO_ROOT)
    result = subprocess.run(
        [sys.executable, '-m', 'torch.distributed.run', f'--nproc_per_node={nproc}',
         f'--master_port={free_port()}', osp.join(REPO_ROOT, 'tools', 'train.py'), config,
         '--launcher', 'pytorch'], cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def load(path):
    """A saved state dict, tensors only."""
    return torch.load(path, map_location='cpu', weights_only=True)
