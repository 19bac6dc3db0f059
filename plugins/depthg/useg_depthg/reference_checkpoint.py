"""A released DepthG Lightning checkpoint -> a useg checkpoint (``useg convert-checkpoint``).

DepthG's reference is a fork of STEGO's and saves the same modules (``net.model`` /
``net.cluster1`` / ``net.cluster2``, the probes, the unused decoder); prediction is STEGO's, so the
file converts with STEGO's layout (plus the schedule's step counter, 0) and loads into the DepthG
config of its shapes.
"""
import torch

from useg.tools.convert_checkpoint import convert_layout
from useg.utils import UsegError

CONFIGS = {  # (arch, K, D) -> shipped config; the four paper runs differ in these shapes
    ('dino_vitb8', 27, 100): 'configs/depthg/depthg_dino_vitb8_cityscapes27.py',
    ('dino_vitb8', 27, 90): 'configs/depthg/depthg_dino_vitb8_cocostuff27.py',
    ('dino_vits8', 27, 70): 'configs/depthg/depthg_dino_vits8_cocostuff27.py',
    ('dino_vits8', 3, 90): 'configs/depthg/depthg_dino_vits8_potsdam3.py'}


def convert_reference_checkpoint(state_dict):
    """Reference ``state_dict`` -> ``dict(state_dict, arch, num_classes, code_channels, config,
    template, cfg_options)`` (docs/architecture.md); raises ``ValueError`` naming the missing or
    unexpected keys when it is not STEGO's layout."""
    try:
        converted, info = convert_layout(state_dict, 'stego', 'the file')
    except UsegError as error:  # 'the file is not a released stego checkpoint: missing keys ...'
        raise ValueError(str(error).split(': ', 1)[1]) from None
    converted['iteration'] = torch.zeros((), dtype=torch.long)  # the schedule's step (training only)
    shapes = (info['arch'], info['num_classes'], info['code_channels'])
    known = isinstance(info['arch'], str) and \
        info['cfg_options']['model.cluster_probe.num_clusters'] == info['num_classes']
    return dict(info, state_dict=converted, config=CONFIGS.get(shapes) if known else None,
                template='depthg/tiny_synthetic.py')
