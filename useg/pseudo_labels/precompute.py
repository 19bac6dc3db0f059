"""Fill a config's pseudo-label cache (used by ``tools/precompute_pseudo_labels.py``)."""
import copy
import os
import time

import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from torch.utils.data import DataLoader, Subset
from tqdm import tqdm

from useg.registry import DATASETS, MODELS, PSEUDO_LABELERS

from .cache import PseudoLabelCache, pseudo_label_cache_key


def precompute_pseudo_labels(cfg, batch_size=None, workers=2, device='cpu'):
    """Fill the pseudo-label cache of ``cfg``; returns the summary dict."""
    if not cfg.get('pseudo_labels'):
        from useg.utils import UsegError
        raise UsegError('the config defines no pseudo_labels settings')
    init_default_scope(cfg.get('default_scope', 'useg'))
    settings = cfg.pseudo_labels
    labeler = PSEUDO_LABELERS.build(settings.labeler)
    key = pseudo_label_cache_key(cfg, labeler.cache_params())
    dataset_cfg = copy.deepcopy(settings.get('dataset') or cfg.train_dataloader.dataset)
    dataset_cfg['pipeline'] = settings.pipeline
    dataset = DATASETS.build(dataset_cfg)
    cache = PseudoLabelCache(os.path.join(settings.cache_dir, key), dataset_cfg.get('data_root'))
    todo = [i for i in range(len(dataset)) if not cache.has(dataset.get_data_info(i)['img_path'])]
    print(f'pseudo labels -> {cache.directory}: {len(dataset) - len(todo)} cached, {len(todo)} to do')

    backbone = preprocessor = None
    if labeler.requires_features:
        backbone = MODELS.build(cfg.model.backbone)
        backbone = backbone.to(device).eval()
        preprocessor = MODELS.build(cfg.model.data_preprocessor).to(device)
    labeler = labeler.to(device)
    loader = DataLoader(Subset(dataset, todo), batch_size=batch_size or settings.get('batch_size', 8),
                        num_workers=workers, collate_fn=pseudo_collate)
    start, masks = time.time(), []
    for batch in tqdm(loader, desc='pseudo labels', unit='batch'):
        images = torch.stack([img.flip(0).permute(1, 2, 0) for img in batch['inputs']])  # BGR->RGB HWC
        feats = None
        if backbone is not None:
            with torch.no_grad():
                feats = backbone(preprocessor(batch, False)['inputs'])
        paths = dict(img_paths=[sample.img_path for sample in batch['data_samples']]) \
            if labeler.requires_paths else {}
        maps = labeler(feats, images, **paths)
        maps = maps.cpu().numpy() if torch.is_tensor(maps) else np.asarray(maps)
        for sample, label_map in zip(batch['data_samples'], maps):
            cache.save(sample.img_path, label_map)
            masks.append(len(set(np.unique(label_map).tolist()) - {255}))
    summary = dict(key=key, images=len(dataset), computed=len(todo),
                   masks_per_image=float(np.mean(masks)) if masks else None,
                   seconds=round(time.time() - start, 2), labeler=labeler.cache_params())
    cache.mark_complete(summary)
    print(f'done: {summary}')
    return summary
