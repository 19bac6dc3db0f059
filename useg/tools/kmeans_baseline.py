"""The number every method must beat: k-means on a config's own frozen backbone features.

``python tools/kmeans_baseline.py CONFIG [--seeds 0 1 2] [--euclidean] [--data-root DIR]``

Builds the config's backbone (its weights as configured) and data preprocessor, runs them over
the val split, clusters the patch features with k-means (K = the config's cluster count; cosine
unless ``--euclidean``; one run per seed, best of ``--restarts``), assigns every pixel the
cluster of its bilinearly upsampled feature and scores it with the Hungarian Acc / mIoU of
tools/test.py. Prints each seed and the mean +- std; ``--crf`` also scores the dense-CRF
refinement of the k-means assignment (the segmentors' CRF, as their ``crf_cluster`` metrics).
"""
import argparse


import numpy as np
import torch
from mmengine.config import DictAction

from useg.apis import load_config, set_data_root
from useg.evaluation import config_kmeans_baseline
from useg.utils.errors import add_tool_flags


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description='k-means on a config\'s frozen backbone '
                                                 'features, scored like tools/test.py')
    parser.add_argument('config')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument('--restarts', type=int, default=10, help='k-means++ runs per seed')
    parser.add_argument('--euclidean', action='store_true', help='Euclidean instead of cosine')
    parser.add_argument('--max-points', type=int, default=100_000,
                        help='patch features k-means is fitted on (spread over the images)')
    parser.add_argument('--data-root', help='point every data_root of the config here')
    parser.add_argument('--batch-size', type=int, help='default: the val loader\'s')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--crf', action='store_true',
                        help='also score the dense-CRF refinement (as crf_cluster/* of '
                             'tools/test.py)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    add_tool_flags(parser)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options)
    if args.data_root:
        set_data_root(cfg, args.data_root)
    num_clusters, results = config_kmeans_baseline(
        cfg, args.seeds, spherical=not args.euclidean, max_points=args.max_points,
        batch_size=args.batch_size, device=args.device, restarts=args.restarts, crf=args.crf)
    backbone = cfg.model.backbone
    name = backbone.get('arch') or backbone.get('model_name') or backbone['type']
    kind = 'Euclidean' if args.euclidean else 'cosine'
    for prefix, label in [('', ''), ('crf_', ' + CRF')][:2 if args.crf else 1]:
        for result in results:
            print(f'seed {result["seed"]}{label}: Acc {result[prefix + "acc"]:.2f}  '
                  f'mIoU {result[prefix + "miou"]:.2f}')
        acc = np.array([result[prefix + 'acc'] for result in results])
        miou = np.array([result[prefix + 'miou'] for result in results])
        print(f'k-means{label} ({kind}, K={num_clusters}, {len(results)} seeds) on {name} '
              f'features, val split: Acc {acc.mean():.2f} +- {acc.std():.2f}  '
              f'mIoU {miou.mean():.2f} +- {miou.std():.2f}')
