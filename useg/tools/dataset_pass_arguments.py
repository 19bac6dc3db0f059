"""The arguments every tool that runs a config's frozen backbone over a dataset shares."""
import torch
from mmengine.config import DictAction

from useg.utils.errors import add_tool_flags

LAUNCHERS = ['none', 'pytorch', 'slurm', 'mpi']


def add_dataset_pass_arguments(parser, holds, batch_size_default=None, batch_size_help=None,
                               precompute=True):
    """Add ``config``, ``--work-dir`` (its ``cache/`` holds ``holds``), ``--batch-size``,
    ``--workers``, ``--device``, ``--cfg-options``, ``--debug`` / ``--threads`` and, for a
    precompute, ``--force`` and ``--launcher`` to ``parser``; returns it."""
    parser.add_argument('config')
    parser.add_argument('--work-dir', help=f'the training work dir (its cache/ holds {holds})')
    parser.add_argument('--batch-size', type=int, default=batch_size_default,
                        help=batch_size_help or 'images per batch')
    parser.add_argument('--workers', type=int, default=2, help='data loading processes')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    if precompute:
        parser.add_argument('--force', action='store_true', help=f'compute {holds} again')
        parser.add_argument('--launcher', choices=LAUNCHERS, default='none')
    return add_tool_flags(parser)
