"""A released HP ``ckpt.pth`` (whole model) -> a useg checkpoint (``useg convert-checkpoint``)."""
import torch

from useg.tools.convert_checkpoint import BACKBONE_TARGET, infer_vit_arch

from .checkpoint import SECTIONS, convert_reference_state_dict

VIT_PREFIX = 'model.'  # the DINO ViT inside net_model_state_dict
CONFIGS = {  # (arch, K, D, dataset) -> (shipped config, its pool_size)
    ('dino_vitb8', 27, 512, 'cityscapes'): ('configs/hp/hp_dino_vitb8_cityscapes27.py', 2048),
    ('dino_vitb8', 3, 256, 'potsdam'): ('configs/hp/hp_dino_vitb8_potsdam3.py', 1024),
    ('dino_vits8', 27, 512, 'cityscapes'): ('configs/hp/hp_dino_vits8_cityscapes27.py', 2048),
    ('dino_vits8', 27, 512, 'cocostuff'): ('configs/hp/hp_dino_vits8_cocostuff27.py', 2048)}
DEFAULT_POOL_SIZE = 2048


def convert_reference_checkpoint(state_dict):
    """Reference file (its sections as ``<section>.<key>``, e.g.
    ``net_model_state_dict.model.blocks.0.attn.qkv.weight``) -> ``dict(state_dict, arch,
    num_classes, code_channels, config, template, cfg_options)`` (docs/architecture.md).

    Heads, EMA head and probes go through :func:`convert_reference_state_dict`; the ViT keeps its
    weights under ``backbone.encoder.``. What the reference does not save is filled in, used by
    training only: the pools are zeros of the config's ``pool_size`` rows (rebuilt before
    training), the projector is the identity. Raises ``KeyError`` without a ViT.
    """
    checkpoint = {section: {} for section, _ in SECTIONS}
    for key, value in state_dict.items():
        section, _, name = key.partition('.')
        if section in checkpoint:
            checkpoint[section][name.removeprefix('module.')] = value
    net = checkpoint['net_model_state_dict']
    vit = {key[len(VIT_PREFIX):]: value for key, value in net.items() if key.startswith(VIT_PREFIX)}
    if 'patch_embed.proj.weight' not in vit:
        raise KeyError(f'no DINO ViT under net_model_state_dict.{VIT_PREFIX}')
    arch = infer_vit_arch(vit)
    converted = {BACKBONE_TARGET + key: value for key, value in vit.items()}
    converted.update(convert_reference_state_dict(checkpoint))
    code, width = converted['head.linear.weight'].shape[:2]
    classes = converted['linear_probe.conv.weight'].shape[0]
    candidates = [shipped for (name, k, d, _), shipped in CONFIGS.items()
                  if (name, k, d) == (arch, classes, code)]
    config = candidates[0][0] if len(candidates) == 1 else None  # ViT-S/8 COCO = Cityscapes shapes
    pool_size = candidates[0][1] if candidates else DEFAULT_POOL_SIZE  # equal among candidates
    converted['pool_feats'] = torch.zeros(pool_size, width)
    converted['pool_code'] = torch.zeros(pool_size, code)
    converted['projector.weight'] = torch.eye(code)  # project_head is not saved by the reference
    converted['projector.bias'] = torch.zeros(code)
    options = {'backbone': dict(_delete_=True, type='DINOViT', arch=arch, init_cfg=None),
               'num_classes': classes, 'code_dim': code, 'model.pool_size': pool_size,
               'model.cluster_probe.num_clusters': converted['cluster_probe.clusters'].shape[0]}
    return dict(state_dict=converted, arch=arch, num_classes=classes, code_channels=code,
                config=config, template='hp/tiny_synthetic.py', cfg_options=options)
