"""Every method's tiny config, end to end on generated scenes: precompute -> train -> test -> infer.

Each config is scored three ways by the same Hungarian metric on the same val scenes: k-means on
its own backbone features (``useg.evaluation.config_kmeans_baseline``, k-means++ best of 3, seeds
0 and 1: the number issue 18 asks every method to beat), its freshly built model (random
centroids / prototypes: "untrained") and its trained model. Asserted, where measured to hold:
trained >= untrained + ``LEARNED_MARGIN`` and trained >= k-means - ``KMEANS_GAP`` (matches
k-means within the gap). No tiny config beats k-means here: on these scenes k-means on the
features reaches 95 mIoU (the rest is stride-8 boundary blur), and every method's cluster probe
is an online k-means from random (PriMaPs: PCA) centroids that lands in a worse optimum -- the
numbers and the reasons per method are in the plugins' READMEs and benchmarks/learning.py.

Measured on this 2-core CPU machine (cluster mIoU, MaskContrast: its K-means mIoU; seed 0, the
16 train / 8 val standard scenes of 4 classes at 96 px; FB = FilterBankBackbone):

=============================================  =======  =========  =======
config (iterations)                            k-means  untrained  trained
=============================================  =======  =========  =======
baseline/tiny_synthetic.py (60)                95.3     50.9       64.6
baseline/tiny_synthetic_filter_bank.py (60)    95.7     56.0       93.7
plugins/template/.../tiny_synthetic.py (40)    94.9     51.4       94.8
stego/tiny_synthetic.py (60 here)              94.9     57.3       89.0
stego/tiny_synthetic_filter_bank.py (10)       95.7     60.6       60.6
smooseg/tiny_synthetic.py (60 here)            94.7     40.2       52.9
smooseg/tiny_synthetic_filter_bank.py (6)      95.7     37.1       36.3
primaps/tiny_synthetic.py (6)                  95.3     60.0       57.5
primaps/tiny_synthetic_filter_bank.py (6)      95.7     47.8       59.3
cause/tiny_synthetic.py (40 here)              -        43.0       61.5
hsg/tiny_synthetic.py (2)                      17.9     18.7       18.1
hsg/tiny_synthetic_stage2.py (2)               18.5     18.7       20.6
maskcontrast/tiny_synthetic.py (2)             65.5     8.5        8.5
=============================================  =======  =========  =======

STEGO, SmooSeg and CAUSE train for ``TRAIN_ITERS`` here (their configs' 10 / 6 / 10 iterations are too few
to learn). HSG and MaskContrast train a ResNet from scratch (their k-means column is k-means on
the random ResNet's features; MaskContrast's own score clusters one embedding per image's
salient mask, a VOC protocol these multi-class scenes do not fit); PriMaPs-EM's untrained column
is random prototypes, its real start is the PCA + k-means initialisation hook (measured with
the student's lr at 0: 59.3 FB / 52.2 ViT, so EM adds 0 / +6.6). The configs without a margin
still run every tool here.
"""
import glob
import os
import os.path as osp
import runpy

import numpy as np
import pytest
from PIL import Image

from tests.conftest import REPO_ROOT, _single_process_loaders
from tests.models.backbones.test_filter_bank import load_learning_benchmark
from useg import apis
from useg.apis import load_config, set_data_root
from useg.evaluation import config_kmeans_baseline
from useg.neighbors import load_knn_table

TINY_CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', '*', 'tiny_synthetic*.py'))
                      + glob.glob(osp.join(REPO_ROOT, 'plugins', '*', 'configs', 'tiny_synthetic.py')))
SCORE_KEY = {'maskcontrast/tiny_synthetic.py': 'kmeans/mIoU'}
# trained - untrained score (mIoU points) each config must reach; absent: no learning claim
LEARNED_MARGIN = {'baseline/tiny_synthetic.py': 6.0, 'baseline/tiny_synthetic_filter_bank.py': 18.0,
                  'stego/tiny_synthetic.py': 15.0, 'smooseg/tiny_synthetic.py': 6.0,
                  'primaps/tiny_synthetic_filter_bank.py': 5.0, 'cause/tiny_synthetic.py': 9.0,
                  'plugins/template/configs/tiny_synthetic.py': 20.0}
# trained >= k-means on the config's features - gap (mIoU points); absent: no claim
KMEANS_GAP = {'baseline/tiny_synthetic_filter_bank.py': 5.0,
              'plugins/template/configs/tiny_synthetic.py': 5.0}
TRAIN_ITERS = {'stego/tiny_synthetic.py': 60, 'smooseg/tiny_synthetic.py': 60,
               'cause/tiny_synthetic.py': 40}


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
    if cfg.get('clusterbook'):  # CAUSE's stage 1 (cached under the work dir)
        from useg_cause import precompute_clusterbook
        precompute_clusterbook(cfg, workers=0)
    return cfg


@pytest.mark.parametrize('config', TINY_CONFIGS, ids=config_id)
def test_tiny_config_learns_and_every_tool_runs(config, synthetic_data_root, tmp_path):
    work_dir = str(tmp_path / 'work_dir')
    cfg = prepare(config, work_dir, synthetic_data_root, tmp_path)
    key = SCORE_KEY.get(config_id(config), 'cluster/mIoU')
    untrained = apis.test(cfg.copy(), load_learning_benchmark().untrained_checkpoint(
        cfg, str(tmp_path / 'untrained.pth')))[key]
    apis.train(cfg.copy())
    with open(osp.join(work_dir, 'last_checkpoint')) as file:
        checkpoint = osp.join(work_dir, file.read().strip())
    trained = apis.test(cfg.copy(), checkpoint)[key]
    _, kmeans = config_kmeans_baseline(cfg.copy(), seeds=(0, 1), restarts=3)
    kmeans = float(np.mean([result['miou'] for result in kmeans]))
    print(f'{config_id(config)}: {key} k-means {kmeans:.2f}, untrained {untrained:.2f} '
          f'-> trained {trained:.2f}')
    margin = LEARNED_MARGIN.get(config_id(config))
    if margin is not None:
        assert trained >= untrained + margin, (untrained, trained)
    gap = KMEANS_GAP.get(config_id(config))
    if gap is not None:
        assert trained >= kmeans - gap, (kmeans, trained)

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
