"""Frozen backbone pass in fp32 vs bf16 (``model.backbone_precision``): time, features, metrics.

``taskset -c 1 env OMP_NUM_THREADS=1 python benchmarks/backbone_precision.py`` times the
segmentor's frozen pass (``UnsupervisedSegmentor.extract_feat``) with ``backbone_precision='fp32'``
and ``'bf16'`` on random-weight backbones at the papers' shapes, in interleaved pairs (the order
alternates), and prints median [min-max] seconds per batch, the speed-up of the medians and of the
minima, and the cosine between the fp32 and bf16 features (per token: min and mean). ``--tiny``
then trains and tests tiny synthetic configs once per precision (same seed) and prints the
metrics' difference. ``--device cuda`` runs the same on a GPU.
"""
import argparse
import os
import os.path as osp
import statistics
import sys
import tempfile
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

import useg  # noqa: E402,F401
from useg.models import UnsupervisedSegmentor  # noqa: E402
from useg.models.utils import cpu_has_bf16_units  # noqa: E402

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
# (arch, input side): STEGO / SmooSeg / HP (DINO ViT-S/8, 224), PriMaPs (ViT-S/8, 320; DINOv2
# ViT-B/14 at 322: 23 x 23 tokens)
SETTINGS = [('dino_vits8', 224), ('dino_vits8', 320), ('dinov2_vitb14', 322)]
TINY_CONFIGS = ['configs/baseline/tiny_synthetic.py', 'configs/stego/tiny_synthetic.py']


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--batch-size', type=int, default=1)
    parser.add_argument('--pairs', type=int, default=5, help='timed fp32/bf16 pairs per setting')
    parser.add_argument('--only', nargs='+', help='only these archs')
    parser.add_argument('--tiny', nargs='*', default=None,
                        help=f'also train + test tiny configs per precision (default {TINY_CONFIGS})')
    return parser.parse_args(argv)


def segmentor(arch, device):
    torch.manual_seed(0)
    model = UnsupervisedSegmentor(backbone=dict(type='DINOViT', arch=arch), num_classes=27)
    return model.to(device).eval()


def timed(model, images, precision):
    model.backbone_precision = precision
    if images.device.type == 'cuda':
        torch.cuda.synchronize(images.device)
    start = time.perf_counter()
    feats = model.extract_feat(images)
    if images.device.type == 'cuda':
        torch.cuda.synchronize(images.device)
    return time.perf_counter() - start, feats


def summary(seconds):
    return f'{statistics.median(seconds):7.3f} [{min(seconds):.3f}-{max(seconds):.3f}]'


@torch.no_grad()
def time_setting(arch, side, batch, pairs, device):
    model = segmentor(arch, device)
    images = torch.randn(batch, 3, side, side, device=device)
    times = {'fp32': [], 'bf16': []}
    feats = {precision: timed(model, images, precision)[1] for precision in times}  # warm-up
    for pair in range(pairs):
        for precision in (('fp32', 'bf16') if pair % 2 == 0 else ('bf16', 'fp32')):
            times[precision].append(timed(model, images, precision)[0])
    cosine = F.cosine_similarity(feats['fp32'], feats['bf16'], dim=1)
    ratio = statistics.median(times['fp32']) / statistics.median(times['bf16'])
    ratio_min = min(times['fp32']) / min(times['bf16'])
    print(f'{arch:<15}{side:>5}{batch:>6}  {summary(times["fp32"])}  {summary(times["bf16"])}  '
          f'{ratio:6.2f}x {ratio_min:6.2f}x  {cosine.min().item():.6f} {cosine.mean().item():.6f}',
          flush=True)


def train_test(config, precision, data_root, work_dir):
    """Test metrics of ``config`` trained on ``data_root`` with ``backbone_precision``."""
    from useg.apis import load_config, set_data_root, test, train
    from useg.neighbors.precompute import precompute_knn

    def prepare():
        cfg = load_config(osp.join(ROOT, config), {'model.backbone_precision': precision},
                          work_dir)
        set_data_root(cfg, data_root)
        for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
            cfg[key].update(num_workers=0, persistent_workers=False)
        if cfg.train_dataloader.dataset.get('type') == 'KNNPairDataset':
            cfg.train_dataloader.dataset.knn.cache_dir = osp.join(work_dir, 'knn')
        return cfg

    cfg = prepare()
    if cfg.train_dataloader.dataset.get('type') == 'KNNPairDataset':
        precompute_knn(cfg, workers=0)
    train(cfg)
    with open(osp.join(work_dir, 'last_checkpoint')) as handle:
        checkpoint = osp.join(work_dir, handle.read().strip())
    return test(prepare(), checkpoint)


def tiny_metrics(configs):
    from useg.datasets import make_synthetic_dataset
    with tempfile.TemporaryDirectory() as tmp:
        data_root = osp.join(tmp, 'synthetic')
        make_synthetic_dataset(data_root, num_train=16, num_val=8, size=(96, 96), num_classes=4,
                               seed=0)
        for config in configs:
            results = {precision: train_test(config, precision, data_root,
                                             osp.join(tmp, f'{osp.basename(osp.dirname(config))}'
                                                           f'-{precision}'))
                       for precision in ('fp32', 'bf16')}
            for key in sorted(key for key in results['fp32'] if key.endswith('mIoU')):
                fp32, bf16 = results['fp32'][key], results['bf16'][key]
                print(f'TINY {config:<36} {key:<24} fp32 {fp32:8.4f}  bf16 {bf16:8.4f}  '
                      f'diff {bf16 - fp32:+.4f}', flush=True)


def main(argv=None):
    args = parse_args(argv)
    device = torch.device(args.device)
    name = torch.cuda.get_device_name(device) if device.type == 'cuda' else 'CPU'
    print(f'device={device} ({name}), threads={torch.get_num_threads()}, '
          f'affinity={sorted(os.sched_getaffinity(0))}, cpu bf16 units={cpu_has_bf16_units()}, '
          f'torch {torch.__version__}, batch={args.batch_size}, pairs={args.pairs}')
    print(f'{"arch":<15}{"side":>5}{"batch":>6}  {"fp32 s median [min-max]":<24}  '
          f'{"bf16 s median [min-max]":<24}  {"median":>7} {"min":>7}  cos min / mean')
    for arch, side in SETTINGS:
        if not args.only or arch in args.only:
            time_setting(arch, side, args.batch_size, args.pairs, device)
    if args.tiny is not None:
        tiny_metrics(args.tiny or TINY_CONFIGS)


if __name__ == '__main__':
    main()
