"""Segment a user's images with a trained model: cluster-id PNGs and colour overlays."""
import os
import os.path as osp

import mmcv
import numpy as np
import torch
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope
from mmengine.utils import ProgressBar

from .config import load_config
from useg.utils import UsegError
from .runner import check_checkpoint

IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')


def init_segmentor(config, checkpoint, device='cpu', cfg_options=None):
    """Build the config's model and load ``checkpoint`` (safe load, exact key/shape check)."""
    cfg = load_config(config, cfg_options) if isinstance(config, str) else config
    init_default_scope(cfg.get('default_scope', 'useg'))
    from useg.registry import MODELS
    model = MODELS.build(cfg.model)
    state = check_checkpoint(model, checkpoint)
    model.load_state_dict(state.get('state_dict', state), strict=True)
    model.cfg = cfg
    model.dataset_meta = state.get('meta', {}).get('dataset_meta')
    return model.to(device).eval()


def list_images(inputs):
    """A folder, an image path or a list of them -> sorted image paths (error if none)."""
    paths = []
    for item in [inputs] if isinstance(inputs, str) else inputs:
        if osp.isdir(item):
            paths += sorted(osp.join(item, name) for name in os.listdir(item)
                            if name.lower().endswith(IMAGE_SUFFIXES))
        elif osp.isfile(item):
            paths.append(item)
        else:
            raise UsegError(f'no such image or folder: {item}')
    if not paths:
        raise UsegError(f'no images ({", ".join(IMAGE_SUFFIXES)}) found in {inputs}')
    return paths


def segment_images(model, inputs, out_dir, short_side=320, opacity=0.5):
    """Write ``<name>.png`` (cluster ids) and ``<name>_overlay.png`` per image into ``out_dir``.

    Images are resized so their shorter side is ``short_side`` (padded to the backbone's patch
    size), predicted, and the prediction is resized back to the original size.
    """
    from useg.visualization import save_cluster_overlay
    paths = list_images(inputs)
    os.makedirs(out_dir, exist_ok=True)
    divisor = getattr(model.backbone, 'patch_size', 32)
    model.data_preprocessor.test_cfg = dict(size_divisor=divisor)
    pipeline = Compose([dict(type='LoadImageFromFile'),
                        dict(type='Resize', scale=(100 * short_side, short_side), keep_ratio=True),
                        dict(type='PackSegInputs')])
    num_clusters = model.num_clusters
    progress = ProgressBar(len(paths))
    written = []
    for path in paths:
        try:
            data = pipeline(dict(img_path=path))
        except Exception as error:  # unreadable / corrupt image
            raise UsegError(f'cannot read image {path}: {error}') from None
        batch = dict(inputs=[data['inputs']], data_samples=[data['data_samples']])
        with torch.no_grad():
            sample = model.test_step(batch)[0]
        labels = sample.pred_sem_seg.data[0].cpu().numpy().astype(np.uint8)
        stem = osp.splitext(osp.basename(path))[0]
        label_file = osp.join(out_dir, f'{stem}.png')
        mmcv.imwrite(labels, label_file)
        image = mmcv.imread(path, channel_order='rgb')
        save_cluster_overlay(osp.join(out_dir, f'{stem}_overlay.png'), image, labels,
                             num_clusters, model.dataset_meta, opacity=opacity)
        written.append(label_file)
        progress.update()
    return written
