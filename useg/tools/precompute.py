"""Precompute what a config trains with: ``useg precompute CONFIG [--workers N] [--device cuda]``.

Pseudo labels (``cfg.pseudo_labels``: PriMaPs, MaskContrast, HSG) and/or the KNN table (a
``KNNPairDataset`` training set: STEGO), plus the steps a plugin's config declares in
``precomputes = dict(<step>=dict(function='package.function', tool='package.module'))`` (e.g. CAUSE's
clusterbook: ``function(cfg, workers=, device=)``; the core imports what the config names, never a
plugin by itself); all are cached under a key of everything that changes
them, so a second call does no work. ``useg precompute-pseudo-labels`` / ``useg precompute-knn``
expose every option of the two steps.
"""
import argparse
import importlib
import sys

from mmengine.config import DictAction

from useg.utils import run_cli
from .config_paths import resolve_config_path

TOOLS = dict(pseudo_labels='precompute_pseudo_labels', knn='precompute_knn')  # step -> tool


def plugin_precomputes(cfg):
    """``{step: dict(function='package.function', tool='package.module')}`` declared by
    ``cfg.precomputes`` (the tool module has ``main(argv)``)."""
    return dict(cfg.get('precomputes') or {})


def needed_precomputes(cfg):
    """``['pseudo_labels']``, ``['knn']``, a plugin's steps, or none: the caches ``cfg`` trains with."""
    needed = ['pseudo_labels'] if cfg.get('pseudo_labels') else []
    if cfg.train_dataloader.dataset.get('type') == 'KNNPairDataset':
        needed.append('knn')
    return needed + list(plugin_precomputes(cfg))


def run_precomputes(cfg, workers=2, device='cpu', batch_size=None):
    """Fill every cache ``cfg`` needs (the library functions of the precompute tools)."""
    needed = needed_precomputes(cfg)
    if 'pseudo_labels' in needed:
        from useg.pseudo_labels import precompute_pseudo_labels
        precompute_pseudo_labels(cfg, batch_size, workers, device)
    if 'knn' in needed:
        from useg.neighbors.precompute import precompute_knn
        precompute_knn(cfg, batch_size or 64, workers, device)
    for spec in plugin_precomputes(cfg).values():
        module, name = spec['function'].rsplit('.', 1)
        getattr(importlib.import_module(module), name)(cfg, workers=workers, device=device)
    return needed


def main(argv=None):
    """Resolve the config, find what it needs and run that step's tool with the same arguments."""
    from useg.apis import load_config
    from useg.cli import load_tool
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog='useg precompute', description=__doc__.split('\n')[0],
                                     epilog='Other options go to the step\'s own tool (see useg '
                                            'precompute-pseudo-labels / precompute-knn --help).')
    parser.add_argument('config', help='config file or shipped config name')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    args, _ = parser.parse_known_args(argv)
    path = resolve_config_path(args.config)
    argv[argv.index(args.config)] = path
    cfg = load_config(path, args.cfg_options)
    needed = needed_precomputes(cfg)
    for step in needed:
        tool = load_tool(TOOLS[step]) if step in TOOLS else \
            importlib.import_module(plugin_precomputes(cfg)[step]['tool'])
        tool.main(argv)
    print(f'precomputed: {", ".join(needed)}' if needed else
          f'{path} trains without pseudo labels or KNN tables (nor plugin precomputes): '
          'nothing to precompute')


if __name__ == '__main__':
    run_cli(main)
