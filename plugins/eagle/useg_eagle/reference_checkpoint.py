"""A released EAGLE Lightning ``state_dict`` (whole model) -> a useg checkpoint
(``useg convert-checkpoint --from eagle``)."""
import torch

from useg.tools.convert_checkpoint import BACKBONE_SOURCE, BACKBONE_TARGET, infer_vit_arch

from .keys import convert_reference_state_dict

CONFIGS = {('dino_vitb8', 27, 512, 'cityscapes'): 'configs/eagle/eagle_dino_vitb8_cityscapes27.py',
           ('dino_vitb8', 27, 512, 'cocostuff'): 'configs/eagle/eagle_dino_vitb8_cocostuff27.py',
           ('dino_vits8', 27, 512, 'cocostuff'): 'configs/eagle/eagle_dino_vits8_cocostuff27.py'}
NUM_CLUSTERS = {'cityscapes': 28, 'cocostuff': 32}  # 27 classes + the extra clusters of each base


def convert_reference_checkpoint(state_dict):
    """Reference ``state_dict`` (``net.model.*`` DINO ViT, heads, probes) -> ``dict(state_dict,
    arch, num_classes, code_channels, config, template, cfg_options)`` (docs/architecture.md).

    Heads and probes go through :func:`convert_reference_state_dict`; the ViT keeps its weights
    under ``backbone.encoder.``; ``completed_iters`` starts at 0. The shipped config is the one of
    the same arch, K, code width and cluster rows. Raises ``KeyError`` without a ViT.
    """
    vit = {key[len(BACKBONE_SOURCE):]: value for key, value in state_dict.items()
           if key.startswith(BACKBONE_SOURCE)}
    if 'patch_embed.proj.weight' not in vit:
        raise KeyError(f'no DINO ViT under {BACKBONE_SOURCE}')
    arch = infer_vit_arch(vit)
    converted = {BACKBONE_TARGET + key: value for key, value in vit.items()}
    converted.update(convert_reference_state_dict(state_dict))
    converted['completed_iters'] = torch.zeros((), dtype=torch.long)
    code, key_channels = converted['head.linear.weight'].shape[:2]
    levels = key_channels // vit['patch_embed.proj.weight'].shape[0]  # keys of the last blocks
    classes = converted['linear_probe.conv.weight'].shape[0]
    clusters = converted['cluster_probe.clusters'].shape[0]
    eigen = converted['eigen_probe.clusters']
    options = {'backbone': dict(_delete_=True, type='DINOViT', arch=arch, init_cfg=None),
               'num_classes': classes, 'code_dim': code, 'key_channels': key_channels,
               'num_clusters': clusters, 'model.eigen_clusters': eigen.shape[0],
               'model.num_eigenvectors': eigen.shape[1] + 1,
               'model.key_blocks': tuple(range(-levels, 0))}
    config = next((path for (name, k, d, dataset), path in CONFIGS.items()
                   if (name, k, d, NUM_CLUSTERS[dataset]) == (arch, classes, code, clusters)), None)
    return dict(state_dict=converted, arch=arch, num_classes=classes, code_channels=code,
                config=config, template='eagle/tiny_synthetic.py', cfg_options=options)
