"""Reading checkpoints as data: ``torch.load(weights_only=True)``, never code."""
import os.path as osp
import pickle

import torch

from .errors import UsegError


def load_safe_checkpoint(path):
    """``torch.load(weights_only=True)`` with a one-line error for missing or unsafe files."""
    if not osp.isfile(path):
        raise UsegError(f'checkpoint not found: {path}')
    try:
        return torch.load(path, map_location='cpu', weights_only=True)
    except pickle.UnpicklingError as error:
        first_line = str(error).strip().splitlines()[0]
        raise UsegError(f'checkpoint {path} cannot be loaded safely (weights_only): {first_line}') \
            from None
    except (RuntimeError, EOFError, ValueError) as error:  # truncated / not a torch file
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise UsegError(f'checkpoint {path} is unreadable (truncated or not a torch file: '
                        f'{first_line}); use another checkpoint') from None
