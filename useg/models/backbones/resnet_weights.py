"""Key conversion from torchvision / MoCo ResNet weight files to :class:`TorchvisionResNet`.

torchvision files (``resnet50-0676ba61.pth``) already use the module names of mmseg's ``ResNet``
(``conv1``, ``bn1``, ``layerN.M.*``, ``downsample.0/1``); their classifier ``fc.*`` is dropped.
MoCo v1/v2 checkpoints (``moco_v2_800ep_pretrain.pth.tar``) keep the network under
``state_dict`` -> ``module.encoder_q.*``; the key encoder, queue and MLP head ``fc.*`` are dropped.
useg checkpoints (``state_dict`` -> ``backbone.*``) are also accepted.
"""
from .checkpoint_io import ExpectedWeights, select_submodule, unwrap_state_dict

CONTAINERS = ('state_dict', 'model')
CLASSIFIER_PREFIX = 'fc.'

RESNET50_WEIGHTS = ExpectedWeights(
    files=(('moco_v2_800ep_pretrain.pth.tar', 'https://dl.fbaipublicfiles.com/moco/'
            'moco_checkpoints/moco_v2_800ep/moco_v2_800ep_pretrain.pth.tar'),
           ('resnet50-0676ba61.pth', 'https://download.pytorch.org/models/resnet50-0676ba61.pth')),
    page='https://github.com/facebookresearch/moco#models (MoCo v2) and '
         'https://pytorch.org/vision/stable/models.html (torchvision IMAGENET1K_V1)')


def convert_resnet_state_dict(checkpoint):
    """Checkpoint dict as read from disk -> ``{mmseg ResNet key: tensor}``."""
    state = unwrap_state_dict(checkpoint, CONTAINERS)
    state = select_submodule(state, 'encoder_q.')
    state = select_submodule(state, 'backbone.')
    return {key: value for key, value in state.items() if not key.startswith(CLASSIFIER_PREFIX)}
