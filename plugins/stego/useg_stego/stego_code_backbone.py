"""A trained STEGO network, frozen, used as the feature extractor of another method (PriMaPs "+SotA")."""
from mmengine.model import BaseModule

from useg.apis.runner import load_safe_checkpoint
from useg.models.backbones.frozen import FrozenMixin
from useg.registry import MODELS


@MODELS.register_module()
class STEGOCodeBackbone(FrozenMixin, BaseModule):
    """``images (B, 3, H, W)`` -> STEGO code ``(B, D, h, w)`` of a trained ``STEGOSegmentor``.

    The DINO backbone and the projection head are rebuilt from their configs and loaded strictly
    from a useg STEGO checkpoint (keys ``backbone.*`` and ``head.*``). Always frozen: eval mode (no
    dropout), no gradients. The checkpoint's cluster-probe centroids, when present, are kept as
    ``cluster_centroids (K, D)`` (PriMaPs "+SotA" initialises its prototypes from them).

    Args:
        backbone: the STEGO model's backbone config.
        head: the STEGO model's head config.
        checkpoint: path of the trained STEGO checkpoint (None keeps the built weights: tests only).
    """

    def __init__(self, backbone, head, checkpoint=None, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        self.head = MODELS.build(head)
        self.frozen = True
        self.register_buffer('cluster_centroids', None)
        if checkpoint is not None:
            self.load_stego_checkpoint(checkpoint)
        self.freeze()
        self._is_init = True

    @property
    def embed_dim(self):
        """Code dimension ``D`` (the channels this backbone outputs)."""
        return self.head.channels

    def load_stego_checkpoint(self, path):
        state = load_safe_checkpoint(path)
        state = state.get('state_dict', state)
        for name in ('backbone', 'head'):
            prefix = f'{name}.'
            part = {key[len(prefix):]: value for key, value in state.items() if key.startswith(prefix)}
            if not part:
                raise KeyError(f'{path} has no {prefix}* weights: is it a STEGO checkpoint?')
            getattr(self, name).load_state_dict(part, strict=True)
        if 'cluster_probe.clusters' in state:
            self.cluster_centroids = state['cluster_probe.clusters'].clone()

    def forward(self, images):
        """``images (B, 3, H, W)`` (normalised) -> code ``(B, D, h, w)``."""
        with self.grad_context():
            return self.head(self.backbone(images))

