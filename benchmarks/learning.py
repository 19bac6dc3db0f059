"""What each method adds to its input features: k-means on the features vs the method's untrained
and trained model, on generated scenes.

    python benchmarks/learning.py                 # every tiny config, paired scenes, 2 datasets
    python benchmarks/learning.py --issue         # the issue's setting: 6 classes, 224 px, 60 / 30
    python benchmarks/learning.py --configs configs/stego/tiny_synthetic_filter_bank.py
    python benchmarks/learning.py --configs       # backbones only (k-means per backbone)

Backbone rows: cosine k-means (K = classes) on each backbone's features of the val split
(FilterBankBackbone, random-init ``vit_tiny_p8``, 8x8 patch mean colour), Hungarian Acc / mIoU as
tools/test.py. Method rows, per config (pointed at the scenes with ``own_data``): k-means on the
config's own backbone features (``useg.evaluation.config_kmeans_baseline``), the freshly built
(untrained) model and the trained model, both scored by tools/test.py's loop (cluster mIoU;
MaskContrast: its K-means mIoU), and the training time (precompute + train); for configs with
the CRF also k-means + CRF and the trained model's CRF-refined ``crf_cluster/mIoU``. Mean +- std
over dataset seeds (and k-means seeds).

Scenes (``useg.datasets.make_synthetic_dataset``): ``paired`` (default; classes in pairs that
share a hue and differ by stripe texture, with jitter, illumination ramp and noise: colour alone
cannot separate them) or ``standard`` (every class its own colour).
"""
import argparse
import glob
import os
import os.path as osp
import sys
import tempfile
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

import useg  # noqa: E402,F401
from useg.apis import load_config  # noqa: E402
from useg.datasets import make_synthetic_dataset  # noqa: E402
from useg.evaluation import config_kmeans_baseline, kmeans_baseline  # noqa: E402
from useg.registry import DATASETS, MODELS  # noqa: E402

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
PREPROCESSOR = dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                    std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_val=0, seg_pad_val=255,
                    size_divisor=8)
EVAL_PIPELINE = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
                 dict(type='PackSegInputs')]
TINY_CONFIGS = sorted(osp.relpath(path, REPO_ROOT) for path in glob.glob(
    osp.join(REPO_ROOT, 'configs', '*', 'tiny_synthetic*.py')))


class PatchMeanColour(torch.nn.Module):
    """The simplest baseline: mean (normalised) RGB of every 8x8 patch, ``(B, 3, H/8, W/8)``."""
    patch_size = 8

    def forward(self, images):
        return F.avg_pool2d(images, self.patch_size)


BACKBONES = {
    'filter_bank': lambda: MODELS.build(dict(type='FilterBankBackbone')),
    'vit_tiny_p8 (random)': lambda: MODELS.build(dict(type='DINOViT', arch='vit_tiny_p8')),
    'patch mean colour': PatchMeanColour,
}


def prepare(cfg, work_dir):
    """Precompute what ``cfg`` trains from (pseudo labels, KNN table, a plugin's steps such as
    CAUSE's clusterbook) into ``work_dir``, in process, as ``useg precompute`` does. Returns
    ``cfg``."""
    from useg.tools.precompute import run_precomputes
    for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(key):
            cfg[key].update(num_workers=0, persistent_workers=False)
    if cfg.get('pseudo_labels'):
        cfg.pseudo_labels.cache_dir = osp.join(work_dir, 'pseudo_labels')
    if cfg.train_dataloader.dataset.get('type') == 'KNNPairDataset':
        cfg.train_dataloader.dataset.knn.cache_dir = osp.join(work_dir, 'knn')
    run_precomputes(cfg, workers=0)
    return cfg


def untrained_checkpoint(cfg, path):
    """The config's freshly built model (seeded like the runner) saved as a checkpoint."""
    init_default_scope('useg')
    torch.manual_seed(cfg.get('randomness', {}).get('seed', 0))
    model = MODELS.build(cfg.model)
    model.init_weights()
    torch.save(dict(meta=dict(), state_dict=model.state_dict()), path)
    return path


def freeze(cfg):
    """Set the learning rate of every optimiser of ``cfg`` to 0 but the probes' (wrappers named
    ``*probe*``): the frozen control, whose prediction is the probes (and the cluster hooks) on
    the untrained code. Returns ``cfg``."""
    wrapper = cfg.optim_wrapper
    if 'optimizer' in wrapper:
        wrapper.optimizer.lr = 0.0
        return cfg
    for name, entry in wrapper.items():
        if isinstance(entry, dict) and 'optimizer' in entry and 'probe' not in name:
            entry.optimizer.lr = 0.0
    return cfg


def config_score(cfg, checkpoint):
    """The cluster mIoU (percent) of ``checkpoint``: tools/test.py's ``cluster/mIoU``; for
    MaskContrast, whose own protocol assumes one object per image, k-means over its pixel
    embeddings (``useg_maskcontrast.pixel_embedding_kmeans``, seeds 0 and 1, mean)."""
    from useg.apis import test
    if cfg.model.type == 'MaskContrastSegmentor':
        from useg_maskcontrast import pixel_embedding_kmeans
        return float(np.mean([result['miou'] for result in
                              pixel_embedding_kmeans(cfg, checkpoint)]))
    return test(cfg.copy(), checkpoint)['cluster/mIoU']


def last_checkpoint(work_dir):
    with open(osp.join(work_dir, 'last_checkpoint')) as file:
        return osp.join(work_dir, file.read().strip())


def learning_scores(config, data_root, num_classes, work_dir, seed=0, cfg_options=None):
    """k-means on ``config``'s backbone features and the cluster mIoU (percent,
    :func:`config_score`) of ``config`` trained as shipped and of its frozen control
    (:func:`freeze`), both seeded ``seed``, on the image folder ``data_root`` with
    ``num_classes`` classes; without the CRF. Returns a dict ``kmeans``, ``trained``, ``frozen``
    and ``seconds`` (precompute + training as shipped)."""
    from useg.apis import train
    options = dict(cfg_options or {}, own_data=dict(data_root=data_root, num_classes=num_classes),
                   randomness=dict(seed=seed))
    scores = {}
    for frozen in (False, True):
        run_dir = osp.join(work_dir, 'frozen' if frozen else 'trained')
        cfg = load_config(config, options, run_dir)
        if cfg.model.get('test_cfg', {}).get('crf'):
            cfg.model.test_cfg.crf = False
        if frozen:
            freeze(cfg)
        else:
            _, kmeans = config_kmeans_baseline(cfg, (seed, ), restarts=10)
            scores['kmeans'] = kmeans[0]['miou']
        start = time.time()
        prepare(cfg, run_dir)
        train(cfg.copy())
        if not frozen:
            scores['seconds'] = time.time() - start
        scores['frozen' if frozen else 'trained'] = config_score(cfg, last_checkpoint(run_dir))
    return scores


def backbone_kmeans(root, num_classes, seed, kmeans_seeds):
    """k-means mIoU per backbone of :data:`BACKBONES` on the val split of ``root``."""
    init_default_scope('useg')
    preprocessor = MODELS.build(PREPROCESSOR)
    dataset = DATASETS.build(dict(type='ImageFolderDataset', data_root=root, split='val',
                                  num_classes=num_classes, pipeline=EVAL_PIPELINE))
    scores = {}
    for name, build in BACKBONES.items():
        torch.manual_seed(seed)  # random-init backbones differ per dataset seed
        backbone = build()
        backbone.eval()
        results = kmeans_baseline(backbone, preprocessor, dataset, num_classes, kmeans_seeds,
                                  restarts=10)
        scores[name] = [result['miou'] for result in results]
    return scores


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scenes', choices=['paired', 'standard'], default='paired')
    parser.add_argument('--num-classes', type=int, default=6)
    parser.add_argument('--size', type=int, default=96, help='scene side (pixels)')
    parser.add_argument('--num-train', type=int, default=16)
    parser.add_argument('--num-val', type=int, default=8)
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2],
                        help='each seeds the scenes, the training and the k-means')
    parser.add_argument('--configs', nargs='*', default=None,
                        help='configs (repository-relative or absolute; default: every '
                             'configs/*/tiny_synthetic*.py; none: backbones only)')
    return parser.parse_args(argv)


def summary(values):
    values = np.asarray(values, dtype=float)
    return f'{values.mean():5.1f} +- {values.std():4.1f}'


def main(argv=None):
    args = parse_args(argv)
    configs = TINY_CONFIGS if args.configs is None else args.configs
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            root = make_synthetic_dataset(osp.join(tmp, f'scenes_{seed}'), args.num_train,
                                          args.num_val, (args.size, args.size), args.num_classes,
                                          seed, scenes=args.scenes)
            for name, scores in backbone_kmeans(root, args.num_classes, seed, (seed, )).items():
                rows.setdefault(name, dict(kmeans=[]))['kmeans'] += scores
            for index, config in enumerate(configs):
                path = config if osp.isabs(config) else osp.join(REPO_ROOT, config)
                scores = learning_scores(path, root, args.num_classes,
                                         osp.join(tmp, f'work_{seed}_{index}'), seed)
                scores['gain'] = scores['trained'] - scores['frozen']
                row = rows.setdefault(osp.relpath(path, REPO_ROOT), {})
                for key, value in scores.items():
                    row.setdefault(key, []).append(value)
                print(f'{config} seed {seed}: k-means {scores["kmeans"]:.1f}, frozen '
                      f'{scores["frozen"]:.1f}, trained {scores["trained"]:.1f} '
                      f'({scores["seconds"]:.0f} s)', flush=True)
    print(f'\n{args.scenes} scenes: {args.num_classes} classes, {args.size} px, {args.num_train} '
          f'train / {args.num_val} val, seeds {args.seeds}; cluster mIoU (Hungarian over the val '
          f'split, no CRF), mean +- std over seeds')
    columns = dict(kmeans='k-means', frozen='frozen', trained='trained', gain='trained-frozen')
    print(f'{"backbone / config":<48}' + ''.join(f'{title:>16}' for title in columns.values())
          + f'{"train s":>9}')
    for name, row in rows.items():
        cells = [summary(row[key]) if row.get(key) else '' for key in columns]
        seconds = f'{np.mean(row["seconds"]):.0f}' if row.get('seconds') else ''
        print(f'{name:<48}' + ''.join(f'{cell:>16}' for cell in cells) + f'{seconds:>9}')


if __name__ == '__main__':
    main()
