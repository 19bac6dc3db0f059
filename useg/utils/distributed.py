"""Joining and leaving the process group of a launcher start, on CUDA and on CPU-only machines."""
from unittest import mock

import torch


def init_distributed(launcher, **dist_cfg):
    """Join the process group of a ``--launcher pytorch|slurm|mpi`` start (nothing for ``'none'``).

    Without CUDA the group uses the gloo backend and mmengine's ``torch.cuda.set_device`` call
    (which ``init_dist`` makes unconditionally) is skipped, so the same command runs on CPUs.
    """
    if launcher in (None, 'none'):
        return
    from mmengine.dist import init_dist
    if torch.cuda.is_available():
        init_dist(launcher, **dist_cfg)
        return
    with mock.patch.object(torch.cuda, 'set_device', lambda device: None):
        init_dist(launcher, **dict(dist_cfg, backend='gloo'))


def close_distributed():
    """Leave the process group, if this process joined one.

    A process that exits still in a gloo group can abort at interpreter exit (its worker threads
    outlive the interpreter); the tools call this after their work ends without an error.
    """
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()
