"""``TorchvisionResNet``: mmseg's ResNet in torchvision layout; loads torchvision / MoCo weights."""
from mmengine.model import initialize
from mmseg.models.backbones import ResNet

from useg.registry import MODELS
from .checkpoint_io import (ExpectedWeights, load_state_dict_strictly, read_checkpoint,
                            resolve_checkpoint)
from .frozen import FrozenMixin
from .resnet_weights import RESNET50_WEIGHTS, convert_resnet_state_dict
from .vit_backbone import parse_pretrained_init_cfg


@MODELS.register_module()
class TorchvisionResNet(FrozenMixin, ResNet):
    """ResNet with torchvision's module names ("pytorch" style: stride on the 3x3 conv, plain
    7x7 stem), for MaskContrast (MoCo v2 / torchvision init, dilated to output stride 8) and HSG
    (trained from scratch).

    ``backbone(images (B, 3, H, W))`` -> ``(B, C, H / s, W / s)`` of the last stage in
    ``out_indices`` when it holds one stage, else a tuple of such maps (mmseg convention).

    Output stride 8 (torchvision ``replace_stride_with_dilation=[False, True, True]``):
    ``strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4)`` with ``contract_dilation=True`` (the first
    block of a dilated stage uses half the dilation).

    Args:
        depth: 18, 34, 50, 101 or 152.
        init_cfg: ``dict(type='Pretrained', checkpoint=PATH)`` loads a torchvision or MoCo file
            strictly at construction; ``None``: He-normal convs, BN weight 1 / bias 0.
        frozen: no gradients and always eval mode (default False: both methods train it).
        Other args as mmseg's ``ResNet``.
    """

    def __init__(self, depth=50, strides=(1, 2, 2, 2), dilations=(1, 1, 1, 1), out_indices=(3, ),
                 multi_grid=None, contract_dilation=True,
                 norm_cfg=dict(type='BN', requires_grad=True),
                 norm_eval=False, frozen_stages=-1, frozen=False, init_cfg=None):
        checkpoint = None if init_cfg is None else parse_pretrained_init_cfg(
            init_cfg, 'TorchvisionResNet')
        super().__init__(depth=depth, strides=strides, dilations=dilations,
                         out_indices=out_indices, style='pytorch', multi_grid=multi_grid,
                         contract_dilation=contract_dilation, norm_cfg=norm_cfg,
                         norm_eval=norm_eval, frozen_stages=frozen_stages,
                         zero_init_residual=False)
        self.frozen = frozen
        self.weights_path = None
        if checkpoint is None:
            initialize(self, self.init_cfg)
        else:
            self.load_weights(checkpoint)
        # Weights are final; a later init_weights() must not re-initialise them.
        self._is_init = True
        if frozen:
            self.freeze()

    def init_weights(self):
        """No-op: the weights are final after construction (random init or the loaded file)."""

    def load_weights(self, checkpoint):
        """Strictly load a torchvision / MoCo / useg file (see :mod:`.resnet_weights`)."""
        expected = RESNET50_WEIGHTS if self.depth == 50 else ExpectedWeights(
            files=(), page='https://pytorch.org/vision/stable/models.html')
        path = resolve_checkpoint(checkpoint, expected)
        state_dict = convert_resnet_state_dict(read_checkpoint(path))
        load_state_dict_strictly(self, state_dict, f'{path} (ResNet-{self.depth})')
        self.weights_path = path

    def forward(self, images):
        with self.grad_context():
            outputs = super().forward(images)
        return outputs[0] if len(outputs) == 1 else outputs
