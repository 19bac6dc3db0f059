"""Stage 1: the concept clusterbook, trained once per backbone / dataset / resolution and cached.

``cfg.clusterbook = dict(pipeline, cache_dir=None, num_codebook=2048, temperature=0.1, lr=1e-3,
batch_size=16, epochs=1, cell=4, save_interval=200, prototype_chunk=128, dataset=None)``: the
prototypes are trained by :class:`ModularityLoss` on grid-sampled frozen backbone tokens of the
training set (``pipeline`` replaces its pipeline, e.g. the 320 px centre crops), one Adam step per
shuffled batch, through the core's :class:`useg.features.FrozenBackbonePass` (features of an
``extract_features`` cache of the same pass are reused). The file is
``<cache root>/<cache_dir or 'cause_clusterbook'>/<key>/clusterbook.pt`` (``codebook (M, C)`` fp32
plus the parameters), where the cache root is ``$USEG_CACHE`` or ``<work_dir>/cache`` and the key is
the core's frozen-pass key (backbone config and weight digests, dataset with pipeline, ordered
image-list digest) plus every training parameter and ``randomness.seed``.
"""
import os
import os.path as osp
import time

import torch
from mmengine.registry import init_default_scope
from tqdm import tqdm

from useg.features import FrozenBackbonePass, backbone_precision, feature_cache_dir, with_pipeline
from useg.precompute import precompute_command
from useg.utils import UsegError, config_seed, load_safe_checkpoint, resolve_cache_dir

from .cause_head import map_to_tokens
from .grid_sampling import draw_grid_order, grid_sample_tokens
from .modularity_loss import DEFAULT_PROTOTYPE_CHUNK, ModularityLoss

DEFAULTS = dict(num_codebook=2048, temperature=0.1, lr=1e-3, batch_size=16, epochs=1, cell=4)
CLUSTERBOOK_FILE = 'clusterbook.pt'


def clusterbook_settings(cfg):
    """``cfg.clusterbook`` with defaults filled in."""
    if not cfg.get('clusterbook'):
        raise UsegError('the config defines no clusterbook settings (cfg.clusterbook)')
    return {**DEFAULTS, **cfg.clusterbook}


def clusterbook_pass(cfg, workers=2, device='cpu'):
    """The :class:`FrozenBackbonePass` whose tokens train ``cfg``'s clusterbook."""
    settings = clusterbook_settings(cfg)
    dataset = with_pipeline(settings.get('dataset') or cfg.train_dataloader.dataset,
                            settings['pipeline'])
    return FrozenBackbonePass(dataset, cfg.model.backbone, cfg.model.data_preprocessor,
                              batch_size=settings['batch_size'], workers=workers, device=device,
                              seed=config_seed(cfg),
                              feature_dir=feature_cache_dir(cfg), precision=backbone_precision(cfg))


def clusterbook_path(cfg, features=None):
    """Cache file of ``cfg``'s clusterbook (``features``: its pass, built when not given)."""
    settings = clusterbook_settings(cfg)
    if features is None:
        init_default_scope(cfg.get('default_scope', 'useg'))
        features = clusterbook_pass(cfg)
    key = features.key(clusterbook={key: settings[key] for key in DEFAULTS}, seed=features.seed)
    root = resolve_cache_dir(settings.get('cache_dir'), cfg.get('work_dir'), 'cause_clusterbook')
    return osp.join(root, key, CLUSTERBOOK_FILE)


def load_clusterbook(path):
    """``(M, C)`` fp32 clusterbook stored at ``path``."""
    return load_safe_checkpoint(path)['codebook'].float()


def resolve_clusterbook(cfg, config_path=None):
    """At the start of training: ``(path, codebook (M, C))`` of ``cfg``'s clusterbook, or a
    one-line :class:`UsegError` with the exact command that builds it (``--force`` when the file
    of the current key is unreadable)."""
    path = clusterbook_path(cfg)
    if not osp.isfile(path):
        raise UsegError(f'no CAUSE clusterbook for these images, backbone and settings (they '
                        f'changed, or it was never computed; expected {path}); run first: '
                        f'{precompute_command(config_path, cfg.get("work_dir"))}')
    try:
        return path, load_clusterbook(path)
    except Exception as error:  # noqa: BLE001 - any unreadable file gets the same advice
        command = precompute_command(config_path, cfg.get('work_dir'), ['clusterbook'], True)
        raise UsegError(f'CAUSE clusterbook {path} is unreadable ({type(error).__name__}); rebuild '
                        f'it: {command}') from None


def _save_atomically(obj, path):
    torch.save(obj, path + '.tmp')
    os.replace(path + '.tmp', path)


def _epoch_batches(size, batch_size, seed, epoch):
    """Shuffled index batches of one epoch (a fixed permutation per ``seed + epoch``)."""
    order = torch.randperm(size, generator=torch.Generator().manual_seed(seed + epoch)).tolist()
    return [order[first:first + batch_size] for first in range(0, size, batch_size)]


def precompute_clusterbook(cfg, workers=2, device='cpu', amp=False, force=False):
    """Train and cache the clusterbook of ``cfg`` (nothing to do when cached); returns its path.

    Each batch seeds the global RNGs with ``seed + first index`` (the core pass), so its grid draw
    does not depend on what ran before. Resumable: every ``save_interval`` batches the prototypes,
    the Adam state and the position are written next to the target, and a rerun continues there
    to the same result.
    """
    init_default_scope(cfg.get('default_scope', 'useg'))
    settings = clusterbook_settings(cfg)
    features = clusterbook_pass(cfg, workers, device)
    path = clusterbook_path(cfg, features)
    partial = path + '.partial'
    if force:
        for stale in (path, partial):
            if osp.isfile(stale):
                os.remove(stale)
    if osp.isfile(path):
        print(f'clusterbook cached: {path}')
        return path
    os.makedirs(osp.dirname(path), exist_ok=True)
    num_codebook, cell = settings['num_codebook'], settings['cell']
    loss_fn = ModularityLoss(settings['temperature'],
                             settings.get('prototype_chunk', DEFAULT_PROTOTYPE_CHUNK))
    state = load_safe_checkpoint(partial) if osp.isfile(partial) else None
    codebook = optimizer = None

    def start(channels):
        nonlocal codebook, optimizer
        generator = torch.Generator().manual_seed(features.seed)
        codebook = torch.empty(num_codebook, channels).uniform_(
            -1.0 / num_codebook, 1.0 / num_codebook, generator=generator).to(device).requires_grad_()
        optimizer = torch.optim.Adam([codebook], lr=settings['lr'])

    position, losses = (0, 0), []
    if state is not None:
        start(state['codebook'].shape[1])
        with torch.no_grad():
            codebook.copy_(state['codebook'])
        optimizer.load_state_dict(state['optimizer'])
        position, losses = (state['epoch'], state['batch']), list(state['losses'])
        print(f'clusterbook: resuming at epoch {position[0] + 1} batch {position[1]}')
    scaler = torch.amp.GradScaler('cuda', enabled=amp and device.startswith('cuda'))
    began = time.time()
    for epoch in range(position[0], settings['epochs']):
        batches = _epoch_batches(len(features), settings['batch_size'], features.seed, epoch)
        first = position[1] if epoch == position[0] else 0
        bar = tqdm(total=len(batches), initial=first, unit='batch',
                   desc=f'clusterbook epoch {epoch + 1}/{settings["epochs"]}')
        with torch.autocast(device.split(':')[0], enabled=amp):
            for index, (_, feats, _) in enumerate(features.run(batches[first:], need_inputs=False),
                                                  start=first):
                tokens = map_to_tokens(feats).float()
                if codebook is None:
                    start(tokens.shape[2])
                side = int(round(tokens.shape[1] ** 0.5))
                grid = draw_grid_order(len(tokens), side, cell)  # global RNG, seeded per batch
                loss = loss_fn(grid_sample_tokens(tokens, grid, cell), codebook)
                optimizer.zero_grad()
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
                losses.append(loss.item())
                bar.update()
                bar.set_postfix(loss=f'{losses[-1]:.4f}')
                if (index + 1) % settings.get('save_interval', 200) == 0:
                    _save_atomically(dict(codebook=codebook.detach().cpu(),
                                          optimizer=optimizer.state_dict(), epoch=epoch,
                                          batch=index + 1, losses=losses), partial)
        bar.close()
    _save_atomically(dict(codebook=codebook.detach().float().cpu(),
                          params={key: settings[key] for key in DEFAULTS}, losses=losses), path)
    if osp.isfile(partial):
        os.remove(partial)
    print(f'clusterbook -> {path} ({tuple(codebook.shape)}, {len(losses)} steps, '
          f'{time.time() - began:.1f} s, last loss {losses[-1] if losses else float("nan"):.4f})')
    return path
