"""Fill a config's pseudo-label cache (the ``pseudo_labels`` precompute step).

Batches are fixed ranges of the dataset order and the RNGs are seeded with
``randomness.seed + first index`` before each batch, so two runs (interrupted or not, split over
ranks or not, with the same batch size) write the same maps. An interrupted run redoes only the
batches with a missing map. Under a distributed launch each rank labels every ``world_size``-th
batch; rank 0 checks that every map exists and marks the cache complete.
"""
import time

import numpy as np
import torch
from mmengine.dist import barrier
from mmengine.registry import init_default_scope
from tqdm import tqdm

from useg.registry import PSEUDO_LABELERS
from useg.utils import UsegError
from .cache import pseudo_label_cache, pseudo_label_pass


def precompute_pseudo_labels(cfg, batch_size=None, workers=2, device='cpu', force=False):
    """Fill the pseudo-label cache of ``cfg`` (all maps again with ``force``); returns the summary."""
    if not cfg.get('pseudo_labels'):
        raise UsegError('the config defines no pseudo_labels settings')
    init_default_scope(cfg.get('default_scope', 'useg'))
    labeler = PSEUDO_LABELERS.build(cfg.pseudo_labels.labeler)
    features = pseudo_label_pass(cfg, labeler, batch_size, workers, device)
    cache = pseudo_label_cache(cfg, features, labeler.cache_params())
    paths = features.img_paths
    todo = [(first, end) for first, end in features.mine(features.batch_ranges())
            if force or not all(cache.has(paths[index]) for index in range(first, end))]
    print(f'pseudo labels -> {cache.directory}: {len(paths)} images, '
          f'{sum(end - first for first, end in todo)} to label on this rank')
    labeler = labeler.to(device)
    start, masks = time.time(), []
    progress = tqdm(total=sum(end - first for first, end in todo), desc='pseudo labels', unit='img')
    for batch, feats, indices in features.run(todo):
        images = torch.stack([img.flip(0).permute(1, 2, 0) for img in batch['inputs']])  # BGR->RGB HWC
        extra = dict(img_paths=[paths[index] for index in indices]) if labeler.requires_paths else {}
        with torch.no_grad():
            maps = labeler(feats, images, **extra)
        maps = maps.cpu().numpy() if torch.is_tensor(maps) else np.asarray(maps)
        for index, label_map in zip(indices, maps):
            cache.save(paths[index], label_map)
            masks.append(len(set(np.unique(label_map).tolist()) - {255}))
        progress.update(len(indices))
    progress.close()
    barrier()
    summary = dict(key=features.key(labeler=labeler.cache_params(), seed=features.seed),
                   images=len(paths), image_list=features.params['images'], seed=features.seed,
                   computed=len(masks), masks_per_image=float(np.mean(masks)) if masks else None,
                   features='feature cache' if features.reuses_features else 'backbone',
                   seconds=round(time.time() - start, 2), labeler=labeler.cache_params())
    if features.rank == 0:
        missing = [path for path in paths if not cache.has(path)]
        if missing:
            raise UsegError(f'{len(missing)} pseudo labels of {cache.directory} are missing (first: '
                            f'{missing[0]}): run the same command again')
        cache.mark_complete(summary)
        print(f'done: {summary}')
    barrier()
    return summary
