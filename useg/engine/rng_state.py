"""The random-number state of one process (torch, CUDA, numpy, python) as plain, loadable data."""
import random

import numpy as np
import torch


def capture_rng_state():
    """Every generator a training step may draw from, as tensors / ints (``weights_only``-safe)."""
    kind, keys, position, has_gauss, cached_gauss = np.random.get_state()
    version, python_state, gauss = random.getstate()
    state = dict(torch=torch.get_rng_state(),
                 numpy=dict(kind=kind, keys=torch.from_numpy(keys.astype(np.int64)),
                            position=int(position), has_gauss=int(has_gauss),
                            cached_gauss=float(cached_gauss)),
                 python=dict(version=version, state=list(python_state), gauss=gauss))
    if torch.cuda.is_available():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def restore_rng_state(state):
    """Inverse of :func:`capture_rng_state`."""
    torch.set_rng_state(state['torch'])
    numpy_state = state['numpy']
    np.random.set_state((numpy_state['kind'], numpy_state['keys'].numpy().astype(np.uint32),
                         numpy_state['position'], numpy_state['has_gauss'],
                         numpy_state['cached_gauss']))
    python_state = state['python']
    random.setstate((python_state['version'], tuple(python_state['state']), python_state['gauss']))
    if 'cuda' in state and torch.cuda.is_available() and \
            len(state['cuda']) == torch.cuda.device_count():
        torch.cuda.set_rng_state_all(state['cuda'])
