"""Cache the frozen backbone features of a config's dataset split (memory-mapped ``.npy``).

``python tools/extract_features.py CONFIG [--work-dir DIR] [--batch-size N] [--workers N]
[--dtype float32|float16] [--backbone-precision auto|bf16|fp16|fp32]``

Works on every method config. Which pass is cached: ``cfg.feature_cache = dict(split='train',
pipeline=[...], cache_dir=...)`` when given, otherwise the pass a precompute tool of the config
makes (pseudo-label pipeline when the labeler reads features, else the KNN pipeline, else the test
pipeline on the training split), so ``tools/precompute_pseudo_labels.py`` / ``precompute_knn.py``
read these features instead of running the backbone again (float32 caches only). The cache lives
under ``$USEG_CACHE/features`` or ``<work_dir>/cache/features``, keyed like every other cache.
The backbone runs in ``--backbone-precision`` (``--amp`` is an alias; default: the config's
``model.backbone_precision``, else fp32); a precision other than fp32 is part of the key.
"""
import argparse

from useg.apis import load_config
from useg.features import extract_features

from .dataset_pass_arguments import add_dataset_pass_arguments

PRECISIONS = ('auto', 'bf16', 'fp16', 'fp32')


def parse_args(argv=None):
    parser = add_dataset_pass_arguments(
        argparse.ArgumentParser(description='Cache backbone features of a dataset split'),
        'the features', batch_size_help='default: feature_cache.batch_size or 8', precompute=False)
    parser.add_argument('--dtype', default='float32', choices=['float32', 'float16'],
                        help='stored precision (precompute tools reuse float32 caches only)')
    parser.add_argument('--backbone-precision', '--amp', dest='backbone_precision',
                        choices=PRECISIONS, help='autocast of the backbone pass (default: '
                        'model.backbone_precision, else fp32)')
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    cfg = load_config(args.config, args.cfg_options, args.work_dir)
    extract_features(cfg, args.batch_size, args.workers, args.device, args.dtype,
                     backbone_precision=args.backbone_precision)
