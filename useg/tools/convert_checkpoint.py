"""Convert a paper's released checkpoint (whole model) into a useg checkpoint.

``python tools/convert_checkpoint.py --from {stego,primaps,smooseg} SRC DST [--allow-pickle]``
(or ``useg convert-checkpoint ...``); then ``python tools/test.py CONFIG DST``.

``--from`` also takes any installed plugin whose package exposes
``convert_reference_checkpoint(state_dict) -> dict`` (docs/architecture.md). The architecture
comes from the tensor shapes only; the converted file is loaded strictly into the useg model it
implies before it is written (atomically: temporary file, then rename).
"""
import argparse
import hashlib
import math
import os
import os.path as osp
import pickle
import re
import types
from dataclasses import dataclass

import torch

from useg.utils import UsegError, atomic_path
from useg.utils.errors import add_tool_flags

BACKBONE_SOURCE = 'net.model.'
BACKBONE_TARGET = 'backbone.encoder.'
VIT_BASE_KEYS = ('cls_token', 'pos_embed', 'patch_embed.proj.weight', 'patch_embed.proj.bias',
                 'norm.weight', 'norm.bias')
VIT_BLOCK_KEYS = tuple(f'{module}.{kind}' for module in (
    'norm1', 'attn.qkv', 'attn.proj', 'norm2', 'mlp.fc1', 'mlp.fc2') for kind in ('weight', 'bias'))
DINO_HEAD_WIDTH = 64  # embed_dim / num_heads of every DINO / DINOv2 ViT
KNOWN_ARCHS = {(patch, width, 12, 224): f'dino_vit{size}{patch}'
               for patch in (8, 16) for width, size in ((384, 's'), (768, 'b'))}


@dataclass(frozen=True)
class Layout:
    """A released file's ``state_dict`` layout besides the DINO ViT under ``net.model.``.

    ``keys``: reference key -> useg key (all required); ``dropped``: exact keys or prefixes
    (ending in ``.``) that are discarded; ``template``: the config whose model (widths
    overridden) checks the result; ``configs``: shipped paper configs
    ``(arch, K, D, dataset) -> config``.
    """
    keys: dict
    dropped: tuple
    template: str
    configs: dict


def _head(prefix):
    return {f'{prefix}cluster1.0.{kind}': f'head.linear.{kind}' for kind in ('weight', 'bias')} | {
        f'{prefix}cluster2.{index}.{kind}': f'head.nonlinear.{index}.{kind}'
        for index in (0, 2) for kind in ('weight', 'bias')}


_LINEAR_PROBE = {f'linear_probe.{kind}': f'linear_probe.conv.{kind}' for kind in ('weight', 'bias')}

LAYOUTS = {
    'stego': Layout(
        keys=_head('net.') | {'cluster_probe.clusters': 'cluster_probe.clusters'} | _LINEAR_PROBE,
        dropped=('train_cluster_probe.clusters', 'decoder.'),
        template='stego/tiny_synthetic.py',
        configs={('dino_vitb8', 27, 70, 'cocostuff'): 'configs/stego/stego_dino_vitb8_cocostuff27.py',
                 ('dino_vitb8', 27, 100, 'cityscapes'):
                     'configs/stego/stego_dino_vitb8_cityscapes27.py',
                 ('dino_vitb8', 3, 70, 'potsdam'): 'configs/stego/stego_dino_vitb8_potsdam3.py',
                 ('dino_vits8', 27, 70, 'cocostuff'): 'configs/stego/stego_dino_vits8_cocostuff27.py'}),
    'primaps': Layout(
        keys={f'seghead.weight_{part}': f'student.weight_{part}' for part in 'gv'} | {
            f'cluster_probe.ema_model.weight_{part}': f'teacher.weight_{part}' for part in 'gv'}
        | _LINEAR_PROBE,
        dropped=('cluster_probe.online_model.', 'cluster_probe.initted', 'cluster_probe.step'),
        template='primaps/tiny_synthetic.py',
        configs={(arch, classes, width, dataset):
                 f'configs/primaps/primaps_{arch}_{dataset}{classes}.py'
                 for arch, width in (('dino_vitb8', 768), ('dino_vits8', 384))
                 for dataset, classes in (('cocostuff', 27), ('cityscapes', 27), ('potsdam', 3))}),
    'smooseg': Layout(
        keys=_head('projection.') | {'prediction.global_clusters': 'teacher.clusters',
                                     'prediction.local_clusters': 'student_prototypes.clusters'},
        dropped=(),
        template='smooseg/tiny_synthetic.py',
        configs={('dino_vits8', 27, 64, 'cocostuff'):
                     'configs/smooseg/smooseg_dino_vits8_cocostuff27.py',
                 ('dino_vits8', 27, 64, 'cityscapes'):
                     'configs/smooseg/smooseg_dino_vits8_cityscapes27.py',
                 ('dino_vitb8', 3, 64, 'potsdam'): 'configs/smooseg/smooseg_dino_vitb8_potsdam3.py'}),
}


def plugin_converters():
    """``{plugin name: convert_reference_checkpoint}`` of the installed plugins that have one."""
    from useg.plugins import discover_plugins
    return {name: module.convert_reference_checkpoint
            for name, module in discover_plugins().items()
            if callable(getattr(module, 'convert_reference_checkpoint', None))}


# --- reading -------------------------------------------------------------------------------------

class _Placeholder(dict):
    """Stands in for a pickled class that cannot be imported: keeps its state as plain data."""

    def __init__(self, *args, **kwargs):
        super().__init__()
        if args or kwargs:
            self['args'], self['kwargs'] = list(args), dict(kwargs)

    def __setstate__(self, state):
        self['state'] = state


class _PlaceholderUnpickler(pickle.Unpickler):

    def find_class(self, module, name):
        try:
            return super().find_class(module, name)
        except (ImportError, AttributeError):
            return type(name, (_Placeholder, ), {'__module__': module})


_PLACEHOLDER_PICKLE = types.SimpleNamespace(
    Unpickler=_PlaceholderUnpickler, load=lambda file, **kwargs: _PlaceholderUnpickler(
        file, **kwargs).load(), __name__='useg_placeholder_pickle')


def read_released_file(src, allow_pickle=False):
    """The checkpoint dict of ``src``: ``weights_only=True`` first; pickled objects only with
    ``allow_pickle`` (classes that cannot be imported become plain containers)."""
    if not osp.isfile(src):
        raise UsegError(f'checkpoint not found: {src}')
    try:
        return torch.load(src, map_location='cpu', weights_only=True)
    except pickle.UnpicklingError as error:
        if not allow_pickle:
            found = sorted(set(re.findall(r'GLOBAL ([\w.]+)', str(error))))
            what = ', '.join(found) or str(error).strip().splitlines()[0]
            raise UsegError(f'{src} pickles Python objects ({what}): rerun with --allow-pickle '
                            f'(trusted sources only)') from None
    except (RuntimeError, EOFError, ValueError) as error:
        first_line = (str(error).strip().splitlines() or [type(error).__name__])[0]
        raise UsegError(f'{src} is unreadable (truncated or not a torch file: {first_line})') \
            from None
    return torch.load(src, map_location='cpu', weights_only=False,
                      pickle_module=_PLACEHOLDER_PICKLE)


def source_state_dict(checkpoint, src):
    """The tensors of ``checkpoint['state_dict']`` (everything else in the file is ignored); a
    file without one (HP's ``ckpt.pth``) gives its ``*_state_dict`` sections as
    ``<section>.<key>``."""
    state = checkpoint.get('state_dict') if isinstance(checkpoint, dict) else None
    if state is None and isinstance(checkpoint, dict):
        state = {f'{section}.{key}': value for section, part in checkpoint.items()
                 if section.endswith('_state_dict') and isinstance(part, dict)
                 for key, value in part.items()} or None
    if not isinstance(state, dict):
        raise UsegError(f'{src} holds no state_dict: not a released Lightning checkpoint')
    return {key: value for key, value in state.items() if isinstance(value, torch.Tensor)}


# --- layouts and architecture ------------------------------------------------------------------

def backbone_keys(state_dict):
    """The ViT keys (``net.model.`` stripped) a file needs: blocks ``0 .. max stored index``."""
    indices = [int(match.group(1)) for key in state_dict
               for match in [re.match(re.escape(BACKBONE_SOURCE) + r'blocks\.(\d+)\.', key)] if match]
    depth = max(indices) + 1 if indices else 1
    return list(VIT_BASE_KEYS) + [f'blocks.{block}.{key}' for block in range(depth)
                                  for key in VIT_BLOCK_KEYS]


def check_layout(state_dict, layout, method, src):
    """Raise the one-line key error unless ``state_dict`` is exactly ``layout``'s."""
    needed = {BACKBONE_SOURCE + key for key in backbone_keys(state_dict)} | set(layout.keys)
    missing = sorted(needed - set(state_dict))
    unexpected = sorted(key for key in state_dict if key not in needed and not any(
        key == drop or (drop.endswith('.') and key.startswith(drop)) for drop in layout.dropped))
    if missing or unexpected:
        raise UsegError(f'{src} is not a released {method} checkpoint: missing keys {missing}; '
                        f'unexpected keys {unexpected}')


def infer_vit_arch(vit):
    """DINOViT ``arch`` (a known name, else the kwargs dict) of the ViT state dict ``vit``."""
    patch_weight = vit['patch_embed.proj.weight']
    patch_size, embed_dim = patch_weight.shape[-1], patch_weight.shape[0]
    depth = len({key.split('.')[1] for key in vit if key.startswith('blocks.')})
    grid = math.isqrt(vit['pos_embed'].shape[1] - 1)
    if grid * grid != vit['pos_embed'].shape[1] - 1:
        raise UsegError(f'pos_embed {tuple(vit["pos_embed"].shape)} is not a square grid plus '
                        f'a class token')
    hidden = vit['blocks.0.mlp.fc1.weight'].shape[0]
    if hidden != 4 * embed_dim:
        raise UsegError(f'mlp ratio {hidden / embed_dim:g} (blocks.0.mlp.fc1 {hidden} rows, '
                        f'width {embed_dim}): only DINO ViTs (ratio 4) convert')
    num_heads = embed_dim // DINO_HEAD_WIDTH  # not stored; every DINO ViT has 64-wide heads
    if num_heads < 1 or embed_dim % num_heads:
        raise UsegError(f'width {embed_dim} does not split into heads {DINO_HEAD_WIDTH} wide')
    img_size = grid * patch_size
    known = KNOWN_ARCHS.get((patch_size, embed_dim, depth, img_size))
    return known or dict(img_size=img_size, patch_size=patch_size, embed_dim=embed_dim,
                         depth=depth, num_heads=num_heads)


def convert_layout(state_dict, method, src):
    """Reference ``state_dict`` -> ``(useg state dict, info)`` for a core layout; ``info`` holds
    ``arch``, ``num_classes``, ``code_channels``, ``config``, ``template``, ``cfg_options``."""
    layout = LAYOUTS[method]
    check_layout(state_dict, layout, method, src)
    vit = {key[len(BACKBONE_SOURCE):]: value for key, value in state_dict.items()
           if key.startswith(BACKBONE_SOURCE)}
    arch = infer_vit_arch(vit)
    converted = {BACKBONE_TARGET + key: value for key, value in vit.items()}
    converted.update({new: state_dict[old] for old, new in layout.keys.items()})
    embed_dim = vit['patch_embed.proj.weight'].shape[0]
    code = converted['head.linear.weight'].shape[0] if 'head.linear.weight' in converted \
        else embed_dim
    classes = converted['teacher.clusters'].shape[0] if method == 'smooseg' \
        else converted['linear_probe.conv.weight'].shape[0]
    options = {'backbone': dict(_delete_=True, type='DINOViT', arch=arch, init_cfg=None),
               'num_classes': classes, 'code_dim': code}
    rows_match = True
    if method == 'stego':
        rows = converted['cluster_probe.clusters'].shape[0]
        options['model.cluster_probe.num_clusters'] = rows
        rows_match = rows == classes
    config = None
    if isinstance(arch, str) and rows_match:
        candidates = [(dataset, path) for (name, k, d, dataset), path in layout.configs.items()
                      if (name, k, d) == (arch, classes, code)]
        named = [path for dataset, path in candidates if dataset in osp.basename(src).lower()]
        config = (named or [path for _, path in candidates] or [None])[0]
    return converted, dict(arch=arch, num_classes=classes, code_channels=code, config=config,
                           template=layout.template, cfg_options=options)


def convert_with_plugin(state_dict, method, src):
    """A plugin's ``convert_reference_checkpoint(state_dict)`` -> ``(useg state dict, info)``."""
    try:
        result = dict(plugin_converters()[method](state_dict))
    except (KeyError, ValueError) as error:
        message = error.args[0] if error.args else type(error).__name__
        raise UsegError(f'{src} is not a released {method} checkpoint: {message}') from None
    converted = result.pop('state_dict')
    result.setdefault('config', None)
    result.setdefault('template', result['config'])
    result.setdefault('cfg_options', {})
    if result['template'] is None:
        raise UsegError(f'the {method} plugin names no config to check its conversion against '
                        f'(convert_reference_checkpoint must return config or template)')
    return converted, result


# --- checking and writing ----------------------------------------------------------------------

def build_check_model(template, cfg_options):
    """The useg model of ``template`` with ``cfg_options`` (random weights, nothing loaded)."""
    from mmengine.registry import init_default_scope

    from useg.apis import load_config
    from useg.registry import MODELS
    from useg.tools.config_paths import resolve_config_path
    cfg = load_config(resolve_config_path(template), dict(cfg_options))
    init_default_scope(cfg.get('default_scope', 'useg'))
    return MODELS.build(cfg.model)


def check_loads(state_dict, info, method, src):
    """Strictly load ``state_dict`` into the model ``info`` implies (one-line error if not)."""
    from useg.engine.resume_checkpoint import check_checkpoint_fits
    model = build_check_model(info['template'], info['cfg_options'])
    check_checkpoint_fits(model, dict(state_dict=state_dict),
                          f'converted from {src} ({method}, arch {info["arch"]})')
    model.load_state_dict(state_dict, strict=True)


def sha1_of(path):
    """Hex SHA-1 of the file at ``path``."""
    digest = hashlib.sha1()
    with open(path, 'rb') as file:
        for chunk in iter(lambda: file.read(1 << 20), b''):
            digest.update(chunk)
    return digest.hexdigest()


def save_atomically(checkpoint, dst):
    """``torch.save`` to a temporary file beside ``dst``, then rename it to ``dst``."""
    os.makedirs(osp.dirname(osp.abspath(dst)), exist_ok=True)
    with atomic_path(dst) as temporary:
        torch.save(checkpoint, temporary)


def convert(method, src, dst, allow_pickle=False):
    """Convert the released file ``src`` of ``method`` to the useg checkpoint ``dst``; returns
    the DST dict ``{'state_dict', 'meta'}``."""
    state_dict = source_state_dict(read_released_file(src, allow_pickle), src)
    if method in LAYOUTS:
        converted, info = convert_layout(state_dict, method, src)
    else:
        converted, info = convert_with_plugin(state_dict, method, src)
    check_loads(converted, info, method, src)
    meta = dict(converted_from=method, source=osp.basename(src), source_sha1=sha1_of(src),
                arch=info['arch'], num_classes=info['num_classes'],
                code_channels=info['code_channels'], config=info['config'])
    checkpoint = dict(state_dict=converted, meta=meta)
    save_atomically(checkpoint, dst)
    hint = info['config'] or f'a configs/{method}/ config of this arch, K and code width'
    print(f'{src} -> {dst}: {len(converted)} tensors ({method}, arch {info["arch"]}, '
          f'{info["num_classes"]} classes, code {info["code_channels"]}); evaluate with e.g. {hint}')
    return checkpoint


def parse_args(argv=None):
    methods = sorted(set(LAYOUTS) | set(plugin_converters()))
    parser = argparse.ArgumentParser(
        description='Convert a released checkpoint of a paper into a useg checkpoint')
    parser.add_argument('--from', dest='method', required=True, choices=methods,
                        help='the reference repository the file comes from')
    parser.add_argument('src', help='the released file (e.g. cocostuff27_vit_base_5.ckpt)')
    parser.add_argument('dst', help='the useg checkpoint to write')
    parser.add_argument('--allow-pickle', action='store_true',
                        help='read files that pickle Python objects (trusted sources only)')
    add_tool_flags(parser)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    convert(args.method, args.src, args.dst, args.allow_pickle)
