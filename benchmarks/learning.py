"""What each backbone's features give before any method: k-means on them, on generated scenes.

    python benchmarks/learning.py                      # hard scenes, 2 datasets x 3 k-means seeds
    python benchmarks/learning.py --scenes standard    # useg.datasets.make_synthetic_dataset
    python benchmarks/learning.py --configs configs/stego/tiny_synthetic.py   # + trained methods

Per backbone (FilterBankBackbone, random-init ``vit_tiny_p8``, 8x8 patch mean colour): cosine
k-means with K = the number of classes on its features of the val split, scored with the
Hungarian Acc / mIoU of tools/test.py (mean +- std over dataset seeds x k-means seeds).

``--scenes hard`` (default): Voronoi scenes where classes come in pairs that share a colour and
differ by stripe texture (orientation 90 degrees apart, another period), with per-region
colour / brightness / contrast jitter, an illumination ramp and noise -- colour alone cannot
separate them. ``--scenes standard``: tools/make_synthetic_dataset.py's scenes (every class its
own colour: patch colour already separates them).

``--configs``: each config is trained on every generated dataset as tools/train.py does (its own
backbone) and tested as tools/test.py does; its cluster Acc / mIoU and training time are printed
beside k-means on that config's backbone features (the hook for per-method comparisons; the
config's ``num_classes`` must equal ``--num-classes``, e.g. ``--num-classes 4`` for the
tiny_synthetic configs).
"""
import argparse
import colorsys
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
from PIL import Image  # noqa: E402

import useg  # noqa: E402,F401
from useg.datasets import make_synthetic_dataset  # noqa: E402
from useg.apis import load_config, set_data_root  # noqa: E402
from useg.evaluation import config_kmeans_baseline, kmeans_baseline  # noqa: E402
from useg.registry import DATASETS, MODELS  # noqa: E402

PREPROCESSOR = dict(type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
                    std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_val=0, seg_pad_val=255,
                    size_divisor=8)
EVAL_PIPELINE = [dict(type='LoadImageFromFile'), dict(type='LoadAnnotations'),
                 dict(type='PackSegInputs')]


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


def hard_scene(rng, size, num_classes):
    """Image ``(H, W, 3)`` uint8 and label ``(H, W)`` uint8: classes ``k`` and
    ``k + num_classes // 2`` share a hue and differ by stripe orientation and period."""
    height, width = size
    num_regions = int(rng.integers(3, 8))
    centres = rng.uniform((0, 0), (height, width), size=(num_regions, 2))
    rows, cols = np.mgrid[0:height, 0:width].astype(np.float64)
    regions = ((rows[..., None] - centres[:, 0]) ** 2 +
               (cols[..., None] - centres[:, 1]) ** 2).argmin(-1)
    region_classes = rng.integers(0, num_classes, size=num_regions)
    half = num_classes // 2
    image = np.zeros((height, width, 3))
    for region, cls in enumerate(region_classes):
        mask = regions == region
        hue = (cls % half) / half + rng.uniform(-0.03, 0.03)
        colour = np.array(colorsys.hsv_to_rgb(hue % 1, rng.uniform(0.45, 0.75),
                                              rng.uniform(0.5, 0.85))) * 255
        angle = np.pi * (0.15 + (cls % half) / (2 * half) + 0.5 * (cls >= half))
        period = 5.0 + 4.0 * (cls >= half) + rng.uniform(-0.5, 0.5)
        phase = rng.uniform(0, 2 * np.pi)
        stripes = np.sin(2 * np.pi * (cols * np.cos(angle) + rows * np.sin(angle)) / period
                         + phase)
        image[mask] = colour + rng.uniform(25, 45) * stripes[mask][:, None]
    ramp = 1 + 0.15 * (cols / width - 0.5) * rng.choice([-1, 1])
    image = image * ramp[..., None] + rng.normal(0, 10, size=image.shape)
    label = region_classes[regions].astype(np.uint8)
    return np.clip(image, 0, 255).round().astype(np.uint8), label


def make_hard_dataset(root, num_train, num_val, size, num_classes, seed):
    """``ImageFolderDataset`` layout of :func:`hard_scene` scenes (deterministic from ``seed``)."""
    rng = np.random.default_rng(seed)
    for split, count in (('train', num_train), ('val', num_val)):
        os.makedirs(osp.join(root, 'imgs', split), exist_ok=True)
        os.makedirs(osp.join(root, 'labels', split), exist_ok=True)
        for index in range(count):
            image, label = hard_scene(rng, size, num_classes)
            Image.fromarray(image).save(osp.join(root, 'imgs', split, f'{index:04d}.png'))
            Image.fromarray(label).save(osp.join(root, 'labels', split, f'{index:04d}.png'))
    return root


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scenes', choices=['hard', 'standard'], default='hard')
    parser.add_argument('--num-classes', type=int, default=6)
    parser.add_argument('--size', type=int, default=224, help='scene side (pixels)')
    parser.add_argument('--num-train', type=int, default=60)
    parser.add_argument('--num-val', type=int, default=30)
    parser.add_argument('--dataset-seeds', type=int, nargs='+', default=[0, 1])
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2],
                        help='k-means seeds')
    parser.add_argument('--configs', nargs='*', default=[],
                        help='method configs to train and test on the same scenes')
    parser.add_argument('--quick', action='store_true', help='1 dataset of 12 val scenes, 2 seeds')
    return parser.parse_args(argv)


def summary(values):
    values = np.asarray(values, dtype=float)
    return f'{values.mean():5.1f} +- {values.std():4.1f}'


def train_and_test(config, data_root, work_dir):
    """Train ``config`` on ``data_root`` as tools/train.py does and test its last checkpoint."""
    from useg.apis import test, train
    from useg.neighbors.precompute import precompute_knn
    from useg.pseudo_labels import precompute_pseudo_labels

    def prepared():
        cfg = set_data_root(load_config(config, work_dir=work_dir), data_root)
        if cfg.get('pseudo_labels'):
            cfg.pseudo_labels.cache_dir = osp.join(work_dir, 'pseudo_labels')
        if cfg.train_dataloader.dataset.get('type') == 'KNNPairDataset':
            cfg.train_dataloader.dataset.knn.cache_dir = osp.join(work_dir, 'knn')
        return cfg

    start = time.time()
    cfg = prepared()
    if cfg.get('pseudo_labels'):
        precompute_pseudo_labels(cfg, workers=0)
    if cfg.train_dataloader.dataset.get('type') == 'KNNPairDataset':
        precompute_knn(cfg, workers=0)
    train(cfg)
    seconds = time.time() - start
    with open(osp.join(work_dir, 'last_checkpoint')) as file:
        metrics = test(prepared(), file.read().strip())
    return metrics, seconds


def main(argv=None):
    args = parse_args(argv)
    if args.quick:
        args.num_val, args.num_train, args.dataset_seeds, args.seeds = 12, 4, [0], [0, 1]
    init_default_scope('useg')
    preprocessor = MODELS.build(PREPROCESSOR)
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        for dataset_seed in args.dataset_seeds:
            root = osp.join(tmp, f'scenes_{dataset_seed}')
            size = (args.size, args.size)
            if args.scenes == 'hard':
                make_hard_dataset(root, args.num_train, args.num_val, size, args.num_classes,
                                  dataset_seed)
            else:
                make_synthetic_dataset(root, args.num_train, args.num_val, size,
                                       args.num_classes, dataset_seed)
            dataset = DATASETS.build(dict(type='ImageFolderDataset', data_root=root, split='val',
                                          num_classes=args.num_classes, pipeline=EVAL_PIPELINE))
            for name, build in BACKBONES.items():
                torch.manual_seed(dataset_seed)  # random-init backbones differ per dataset seed
                start = time.time()
                backbone = build()
                backbone.eval()
                results = kmeans_baseline(backbone, preprocessor, dataset, args.num_classes,
                                          args.seeds)
                row = rows.setdefault(f'k-means | {name}', dict(acc=[], miou=[], seconds=[]))
                row['acc'] += [r['acc'] for r in results]
                row['miou'] += [r['miou'] for r in results]
                row['seconds'].append(time.time() - start)
            for config in args.configs:
                cfg = set_data_root(load_config(config), root)
                start = time.time()
                _, results = config_kmeans_baseline(cfg, args.seeds)
                row = rows.setdefault(f'k-means | {osp.basename(config)} backbone',
                                      dict(acc=[], miou=[], seconds=[]))
                row['acc'] += [r['acc'] for r in results]
                row['miou'] += [r['miou'] for r in results]
                row['seconds'].append(time.time() - start)
                metrics, seconds = train_and_test(config, root,
                                                  osp.join(tmp, f'work_{dataset_seed}'))
                row = rows.setdefault(f'trained | {osp.basename(config)}',
                                      dict(acc=[], miou=[], seconds=[]))
                row['acc'].append(metrics.get('cluster/Acc', float('nan')))
                row['miou'].append(metrics.get('cluster/mIoU', float('nan')))
                row['seconds'].append(seconds)
    print(f'{args.scenes} scenes: {args.num_classes} classes, {args.size} px, {args.num_val} val '
          f'images, dataset seeds {args.dataset_seeds}, k-means seeds {args.seeds} '
          f'(cosine k-means, K = classes; Hungarian over the val split)')
    print(f'{"":<44}{"Acc":>14}{"mIoU":>14}{"s / run":>10}')
    for name, row in rows.items():
        print(f'{name:<44}{summary(row["acc"]):>14}{summary(row["miou"]):>14}'
              f'{np.mean(row["seconds"]):>10.1f}')


if __name__ == '__main__':
    main()
