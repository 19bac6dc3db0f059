"""Every method's tiny config, end to end on generated scenes: precompute -> train -> test -> infer.

Each config is also scored untrained (its freshly built model, random centroids / prototypes,
evaluated by the same test loop) and the trained model must beat that score by the margin set
for it in ``LEARNED_MARGIN`` (about half the gain measured on this 2-core CPU machine).

Measured (cluster mIoU, or MaskContrast's K-means mIoU; untrained -> trained, seed 0, 16 train /
8 val generated scenes of 4 classes, random-weight backbones):

==========================================  =============  ==========
config                                      untrained      trained
==========================================  =============  ==========
baseline/tiny_synthetic.py (60 iters)       50.9           64.6
plugins/template/.../tiny_synthetic.py (40) 51.4           94.8
stego/tiny_synthetic.py (10 / 60 here)      57.3           55.0 / 89.1
smooseg/tiny_synthetic.py (6 / 60 here)     40.2           42.6 / 52.9
primaps/tiny_synthetic.py (6 / 30)          60.0           56.3 / 58.9
hsg/tiny_synthetic.py (2 / 20)              18.7           18.1 / 17.4
hsg/tiny_synthetic_stage2.py (2)            18.7           20.6
maskcontrast/tiny_synthetic.py (2)          8.5            8.5
==========================================  =============  ==========

STEGO and SmooSeg train for ``TRAIN_ITERS`` here (their configs' 10 / 6 iterations are too few
to learn). The configs without a margin do not beat their untrained model within a CI budget
(PriMaPs-EM, HSG: not even at 30 / 20 iterations; MaskContrast's PolyLR(end=2) stops at lr 0);
they still run every tool here (issue 18 follows them up).
"""
import glob
import os
import os.path as osp
import runpy

import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope
from PIL import Image

from tests.conftest import REPO_ROOT, _single_process_loaders
from useg import apis
from useg.apis import load_config, set_data_root
from useg.evaluation import config_kmeans_baseline
from useg.neighbors import load_knn_table
from useg.registry import MODELS

# CAUSE's case is added by its plugin's engineer (one entry here and in the tables below)
TINY_CONFIGS = sorted(path for path in
                      glob.glob(osp.join(REPO_ROOT, 'configs', '*', 'tiny_synthetic*.py'))
                      + glob.glob(osp.join(REPO_ROOT, 'plugins', '*', 'configs', 'tiny_synthetic.py'))
                      if osp.basename(osp.dirname(path)) != 'cause')
SCORE_KEY = {'maskcontrast/tiny_synthetic.py': 'kmeans/mIoU'}
# trained - untrained score (mIoU points) each config must reach; absent: no learning claim
LEARNED_MARGIN = {'baseline/tiny_synthetic.py': 6.0, 'stego/tiny_synthetic.py': 15.0,
                  'smooseg/tiny_synthetic.py': 6.0,
                  'plugins/template/configs/tiny_synthetic.py': 20.0}
TRAIN_ITERS = {'stego/tiny_synthetic.py': 60, 'smooseg/tiny_synthetic.py': 60}


def config_id(path):
    relative = osp.relpath(path, REPO_ROOT)
    return relative[len('configs/'):] if relative.startswith('configs/') else relative


def prepare(config, work_dir, data_root, tmp_path):
    from useg.neighbors.precompute import precompute_knn
    from useg.pseudo_labels import precompute_pseudo_labels
    iters = TRAIN_ITERS.get(config_id(config))
    options = None if iters is None else {'train_cfg.max_iters': iters,
                                          'train_cfg.val_interval': iters,
                                          'default_hooks.checkpoint.interval': iters}
    cfg = load_config(config, options, work_dir)
    set_data_root(cfg, data_root)
    _single_process_loaders(cfg)
    if cfg.get('pseudo_labels'):
        cfg.pseudo_labels.cache_dir = str(tmp_path / 'pseudo_labels')
        precompute_pseudo_labels(cfg, workers=0)
    if cfg.train_dataloader.dataset.get('type') == 'KNNPairDataset':
        cfg.train_dataloader.dataset.knn.cache_dir = str(tmp_path / 'knn')
        table = precompute_knn(cfg, workers=0)
        indices, similarities = load_knn_table(table)
        assert (indices[:, 0] == np.arange(len(indices))).all()  # every image is its own first
        assert (np.diff(similarities, axis=1) <= 1e-6).all()
        assert precompute_knn(cfg, workers=0) == table  # cached: not recomputed
    return cfg


def untrained_checkpoint(cfg, path):
    """The config's freshly built model (seeded like the runner) saved as a checkpoint."""
    init_default_scope('useg')
    torch.manual_seed(cfg.get('randomness', {}).get('seed', 0))
    model = MODELS.build(cfg.model)
    model.init_weights()
    torch.save(dict(meta=dict(), state_dict=model.state_dict()), path)
    return path


@pytest.mark.parametrize('config', TINY_CONFIGS, ids=config_id)
def test_tiny_config_learns_and_every_tool_runs(config, synthetic_data_root, tmp_path):
    work_dir = str(tmp_path / 'work_dir')
    cfg = prepare(config, work_dir, synthetic_data_root, tmp_path)
    key = SCORE_KEY.get(config_id(config), 'cluster/mIoU')
    untrained = apis.test(cfg.copy(), untrained_checkpoint(cfg, str(tmp_path / 'untrained.pth')))[key]
    apis.train(cfg.copy())
    with open(osp.join(work_dir, 'last_checkpoint')) as file:
        checkpoint = osp.join(work_dir, file.read().strip())
    trained = apis.test(cfg.copy(), checkpoint)[key]
    _, kmeans = config_kmeans_baseline(cfg.copy(), seeds=(0, 1), restarts=3)
    kmeans = float(np.mean([result['miou'] for result in kmeans]))
    print(f'{config_id(config)}: {key} k-means {kmeans:.2f}, untrained {untrained:.2f} -> trained {trained:.2f}')
    margin = LEARNED_MARGIN.get(config_id(config))
    if margin is not None:
        assert trained >= untrained + margin, (untrained, trained)

    # tools/infer.py = init_segmentor + segment_images: PNG ids at the original size + overlays
    images = osp.join(synthetic_data_root, 'imgs', 'val')
    out_dir = tmp_path / 'infer'
    infer = runpy.run_path(osp.join(REPO_ROOT, 'tools', 'infer.py'))
    infer['main']([config, checkpoint, images, '--out-dir', str(out_dir), '--short-side', '48'])
    num_clusters = apis.init_segmentor(cfg, checkpoint).num_clusters
    for name in os.listdir(images):
        stem = osp.splitext(name)[0]
        label = np.asarray(Image.open(out_dir / f'{stem}.png'))
        assert label.shape == Image.open(osp.join(images, name)).size[::-1]
        assert label.max() < num_clusters
        assert (out_dir / f'{stem}_overlay.png').is_file()
