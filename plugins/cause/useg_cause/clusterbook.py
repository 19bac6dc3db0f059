"""Stage 1: the concept clusterbook, trained once per backbone / dataset / resolution and cached.

``cfg.clusterbook = dict(cache_dir, pipeline, num_codebook=2048, temperature=0.1, lr=1e-3,
batch_size=16, epochs=1, cell=4, seed=0, save_interval=200, dataset=None)``: the prototypes are
trained by :class:`ModularityLoss` on grid-sampled frozen backbone tokens of the training set
(``pipeline`` replaces its pipeline, e.g. the 320 px centre crops), one Adam step per batch, and
saved to ``cache_dir/<arch>-<key>/clusterbook.pt`` (``codebook (M, C)`` fp32 plus the
parameters). The key hashes the backbone (arch and weights digest), the resolution, the dataset
and every training parameter.
"""
import copy
import os
import os.path as osp
import time

import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from torch.utils.data import DataLoader, Subset
from tqdm import tqdm

from useg.features import feature_cache_key, feature_cache_params
from useg.registry import DATASETS, MODELS
from useg.utils import UsegError, load_safe_checkpoint

from .cause_head import map_to_tokens
from .grid_sampling import draw_grid_order, grid_sample_tokens
from .modularity_loss import ModularityLoss

DEFAULTS = dict(num_codebook=2048, temperature=0.1, lr=1e-3, batch_size=16, epochs=1, cell=4,
                seed=0)
CLUSTERBOOK_FILE = 'clusterbook.pt'


def clusterbook_settings(cfg):
    """``cfg.clusterbook`` with defaults filled in (everything except ``cache_dir``)."""
    if not cfg.get('clusterbook'):
        raise UsegError('the config defines no clusterbook settings (cfg.clusterbook)')
    return {**DEFAULTS, **cfg.clusterbook}


def _resolution(pipeline):
    for transform in pipeline:
        for key in ('crop_size', 'scale'):
            if transform.get('type') in ('CenterCrop', 'PILResizeShortSide') and key in transform:
                size = transform[key]
                return tuple(size) if isinstance(size, (list, tuple)) else (size, size)
    return ()


def clusterbook_path(cfg, backbone):
    """Cache file of ``cfg``'s clusterbook for the built ``backbone``."""
    settings = clusterbook_settings(cfg)
    dataset = settings.get('dataset') or cfg.train_dataloader.dataset
    dataset = {key: dataset.get(key) for key in ('type', 'data_root', 'data_prefix', 'split',
                                                  'ann_file', 'crop_dir', 'img_suffix')}
    params = feature_cache_params(backbone, _resolution(settings['pipeline']), dataset)
    params['clusterbook'] = {key: settings[key] for key in DEFAULTS}
    params['pipeline'] = settings['pipeline']
    return osp.join(settings['cache_dir'], feature_cache_key(params), CLUSTERBOOK_FILE)


def load_clusterbook(path):
    """``(M, C)`` fp32 clusterbook stored at ``path``."""
    return load_safe_checkpoint(path)['codebook'].float()


def missing_clusterbook_message(path, config_path):
    return (f'the CAUSE clusterbook is not computed yet ({path} is missing); run first: '
            f'python tools/precompute_clusterbook.py {config_path or "CONFIG"}')


def _save_atomically(obj, path):
    torch.save(obj, path + '.tmp')
    os.replace(path + '.tmp', path)


def precompute_clusterbook(cfg, batch_size=None, workers=2, device='cpu', amp=False):
    """Train and cache the clusterbook of ``cfg`` (nothing to do when cached); returns its path.

    Resumable: every ``save_interval`` batches the prototypes, the Adam state and the random
    generators are written next to the target, and a rerun continues from there.
    """
    settings = clusterbook_settings(cfg)
    init_default_scope(cfg.get('default_scope', 'useg'))
    from mmengine.runner import set_random_seed
    set_random_seed((cfg.get('randomness') or {}).get('seed', settings['seed']))
    backbone = MODELS.build(cfg.model.backbone).to(device).eval()  # first build after seeding,
    path = clusterbook_path(cfg, backbone)                           # as the Runner does
    if osp.isfile(path):
        print(f'clusterbook cached: {path}')
        return path
    os.makedirs(osp.dirname(path), exist_ok=True)
    preprocessor = MODELS.build(cfg.model.data_preprocessor).to(device)
    dataset_cfg = copy.deepcopy(settings.get('dataset') or cfg.train_dataloader.dataset)
    dataset_cfg['pipeline'] = settings['pipeline']
    dataset = DATASETS.build(dataset_cfg)

    num_codebook, seed = settings['num_codebook'], settings['seed']
    generator = torch.Generator().manual_seed(seed)  # init and grid draws
    codebook = torch.empty(num_codebook, backbone.embed_dim).uniform_(
        -1.0 / num_codebook, 1.0 / num_codebook, generator=generator).to(device).requires_grad_()
    optimizer = torch.optim.Adam([codebook], lr=settings['lr'])
    scaler = torch.amp.GradScaler('cuda', enabled=amp and device.startswith('cuda'))
    loss_fn = ModularityLoss(settings['temperature'], settings.get('prototype_chunk'))
    partial, start = path + '.partial', dict(epoch=0, batch=0, losses=[])
    if osp.isfile(partial):
        state = load_safe_checkpoint(partial)
        with torch.no_grad():
            codebook.copy_(state['codebook'])
        optimizer.load_state_dict(state['optimizer'])
        generator.set_state(state['generator'])
        start = dict(epoch=state['epoch'], batch=state['batch'], losses=state['losses'])
        print(f'clusterbook: resuming at epoch {start["epoch"]} batch {start["batch"]}')
    size = batch_size or settings['batch_size']
    losses, began = list(start['losses']), time.time()
    for epoch in range(start['epoch'], settings['epochs']):
        order = torch.randperm(len(dataset), generator=torch.Generator().manual_seed(seed + epoch))
        first = start['batch'] if epoch == start['epoch'] else 0
        loader = DataLoader(Subset(dataset, order[first * size:].tolist()), batch_size=size,
                            num_workers=workers, collate_fn=pseudo_collate)
        bar = tqdm(loader, desc=f'clusterbook epoch {epoch + 1}/{settings["epochs"]}',
                   unit='batch', initial=first, total=first + len(loader))
        for index, batch in enumerate(bar, start=first):
            inputs = preprocessor(batch, False)['inputs']
            with torch.autocast(device.split(':')[0], enabled=amp):
                tokens = map_to_tokens(backbone(inputs)).float()
                grid = draw_grid_order(len(tokens), int(round(tokens.shape[1] ** 0.5)),
                                       settings['cell'], generator)
                loss = loss_fn(grid_sample_tokens(tokens, grid, settings['cell']), codebook)
            optimizer.zero_grad()
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            losses.append(loss.item())
            bar.set_postfix(loss=f'{losses[-1]:.4f}')
            if (index + 1) % settings.get('save_interval', 200) == 0:
                _save_atomically(dict(codebook=codebook.detach().cpu(),
                                      optimizer=optimizer.state_dict(),
                                      generator=generator.get_state(), epoch=epoch,
                                      batch=index + 1, losses=losses), partial)
    _save_atomically(dict(codebook=codebook.detach().float().cpu(),
                          params={key: settings[key] for key in DEFAULTS}, losses=losses), path)
    if osp.isfile(partial):
        os.remove(partial)
    print(f'clusterbook -> {path} ({num_codebook} x {backbone.embed_dim}, {len(losses)} steps, '
          f'{time.time() - began:.1f} s, last loss {losses[-1] if losses else float("nan"):.4f})')
    return path
