"""Segment a user's images with a trained model: cluster-id PNGs and colour overlays."""
import os
import os.path as osp
import warnings

import mmcv
import numpy as np
import torch
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope
from mmengine.utils import ProgressBar

from useg.engine.resume_checkpoint import check_checkpoint_fits
from useg.utils import UsegError, load_safe_checkpoint
from .config import load_config
from .runner import skip_backbone_weights_file

# longer side above which `segment_images` shrinks an image before the model (memory bound)
MAX_SIDE = 1024
IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png', '.bmp', '.tif', '.tiff', '.webp')


def init_segmentor(config, checkpoint, device='cpu', cfg_options=None):
    """Build the config's model and load ``checkpoint`` (safe load, exact key/shape check)."""
    cfg = load_config(config, cfg_options) if isinstance(config, str) else config
    init_default_scope(cfg.get('default_scope', 'useg'))
    from useg.registry import MODELS
    state = load_safe_checkpoint(checkpoint)
    skip_backbone_weights_file(cfg, state)
    model = MODELS.build(cfg.model)
    check_checkpoint_fits(model, state, checkpoint)
    model.load_state_dict(state.get('state_dict', state), strict=True)
    model.cfg = cfg
    model.dataset_meta = state.get('meta', {}).get('dataset_meta')
    return model.to(device).eval()


def list_image_sources(inputs):
    """``[(image path, its input folder or None for a file given directly), ...]``."""
    sources = []
    for item in [inputs] if isinstance(inputs, str) else inputs:
        if osp.isdir(item):
            sources += [(osp.join(item, name), item) for name in sorted(os.listdir(item))
                        if name.lower().endswith(IMAGE_SUFFIXES)]
        elif osp.isfile(item):
            sources.append((item, None))
        else:
            raise UsegError(f'no such image or folder: {item}')
    if not sources:
        raise UsegError(f'no images ({", ".join(IMAGE_SUFFIXES)}) found in {inputs}')
    return sources


def check_out_dir(out_dir, sources):
    """Refuse an ``out_dir`` that is, or contains, a folder the images come from."""
    out = osp.realpath(out_dir)
    for folder in sorted({osp.realpath(osp.dirname(path)) for path, _ in sources}):
        if folder == out or folder.startswith(out + os.sep):
            raise UsegError(f'--out-dir {out_dir} is or contains the input folder {folder}: '
                            f'outputs would mix with (or overwrite) the images; choose another '
                            f'folder, e.g. {osp.join(out_dir, "segmentation")}')


def output_names(sources):
    """One distinct output stem per image, without an extension: ``<name>`` when unique, else
    ``<name>_<ext>`` (``a.jpg`` and ``a.png`` -> ``a_jpg`` / ``a_png``), else ``<name>`` prefixed
    by the input's position (``input0_0000``)."""
    stems = [osp.splitext(osp.basename(path))[0] for path, _ in sources]
    clashes = {stem for stem in stems if stems.count(stem) > 1}
    names = [f'{stem}_{osp.splitext(path)[1].lstrip(".").lower()}' if stem in clashes else stem
             for stem, (path, _) in zip(stems, sources)]
    clashes = {name for name in names if names.count(name) > 1}
    return [f'input{index}_{stem}' if name in clashes else name
            for index, (stem, name) in enumerate(zip(stems, names))]


def check_segments(sample, checkpoint='this checkpoint'):
    """Refuse a prediction that is only a 0/1 saliency mask (MaskContrast without a probe)."""
    if 'saliency_sem_seg' in sample and 'linear_pred_sem_seg' not in sample:
        raise UsegError(f'{checkpoint} predicts only a foreground/background saliency mask, not '
                        f'segments: infer needs its linear probe (e.g. configs/maskcontrast/'
                        f'maskcontrast_r50_voc_linear.py); score its K-means clusters with useg test')


def segment_images(model, inputs, out_dir, short_side=None, opacity=0.5, skip_bad=False,
                   max_side=MAX_SIDE):
    """Write ``<name>.png`` (cluster ids) and ``<name>_overlay.png`` per image into ``out_dir``,
    and ``<name>_crf.png`` / ``<name>_crf_overlay.png`` when the model's ``test_cfg.crf`` computes
    the CRF-refined map. A model that predicts only saliency is refused (:func:`check_segments`).

    Images are predicted at their own size (padded to the backbone's patch size) or, with
    ``short_side``, resized so their shorter side is ``short_side``; an image whose longer side
    exceeds ``max_side`` (None: no bound) is shrunk to it first, which bounds the memory of a
    pass. The prediction is resized back to the image's own size either way. ``out_dir`` may not
    be (or contain) an input folder and never overwrites an input; names stay distinct (see
    :func:`output_names`). ``skip_bad``: warn about unreadable images
    and go on (else stop naming the file). Returns the label files written.
    """
    from useg.visualization import save_cluster_overlay
    sources = list_image_sources(inputs)
    check_out_dir(out_dir, sources)
    os.makedirs(out_dir, exist_ok=True)
    divisor = getattr(model.backbone, 'patch_size', 32)
    model.data_preprocessor.test_cfg = dict(size_divisor=divisor)
    load, pack = Compose([dict(type='LoadImageFromFile')]), Compose([dict(type='PackSegInputs')])

    def pipeline(data):
        data = load(data)
        height, width = data['img'].shape[:2]
        if short_side is not None:
            scale = short_side / min(height, width)
            if max_side is not None:
                scale = min(scale, max_side / max(height, width))
        elif max_side is not None and max(height, width) > max_side:
            scale = max_side / max(height, width)
        else:
            return pack(data)
        size = (max(1, int(width * scale + 0.5)), max(1, int(height * scale + 0.5)))  # as mmcv
        return pack(Compose([dict(type='Resize', scale=size, keep_ratio=False)])(data))

    num_clusters = model.num_clusters
    inputs_real = {osp.realpath(path) for path, _ in sources}
    progress = ProgressBar(len(sources))
    written = []
    for (path, _), name in zip(sources, output_names(sources)):
        try:
            data = pipeline(dict(img_path=path))
        except Exception as error:  # unreadable / corrupt image
            if not skip_bad:
                raise UsegError(f'cannot read image {path}: {error} (--skip-bad skips such '
                                f'images)') from None
            warnings.warn(f'skipping unreadable image {path}: {error}', RuntimeWarning, stacklevel=2)
            progress.update()
            continue
        label_file = osp.join(out_dir, f'{name}.png')
        outputs = {osp.realpath(osp.join(out_dir, f'{name}{suffix}.png'))
                   for suffix in ('', '_overlay', '_crf', '_crf_overlay')}
        if outputs & inputs_real:
            raise UsegError(f'{label_file} would overwrite an input image; choose another --out-dir')
        batch = dict(inputs=[data['inputs']], data_samples=[data['data_samples']])
        with torch.no_grad():
            sample = model.test_step(batch)[0]
        check_segments(sample)
        image = mmcv.imread(path, channel_order='rgb')
        for field, suffix in (('pred_sem_seg', ''), ('crf_pred_sem_seg', '_crf')):
            if field not in sample:
                continue
            labels = sample.get(field).data[0].cpu().numpy().astype(np.uint8)
            mmcv.imwrite(labels, osp.join(out_dir, f'{name}{suffix}.png'))
            save_cluster_overlay(osp.join(out_dir, f'{name}{suffix}_overlay.png'), image, labels,
                                 num_clusters, model.dataset_meta, opacity=opacity)
        written.append(label_file)
        progress.update()
    return written
