"""MaskContrast figures: loss step, full ResNet-50 DeepLab training step, K-means evaluation.

python benchmarks/maskcontrast.py [--batch 4] [--size 224]   (CUDA when present, else CPU)
"""
import argparse
import time

import torch

import useg_maskcontrast  # noqa: F401  (registers the plugin)
from mmengine.registry import init_default_scope
from useg.registry import MODELS
from useg_maskcontrast.kmeans import kmeans
from useg_maskcontrast.pca_whitening import pca_whiten


def timed(function, repeats, device):
    function()  # warm-up
    if device.type == 'cuda':
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(repeats):
        function()
    if device.type == 'cuda':
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / repeats


def bench_loss(device, batch, size, repeats):
    loss = MODELS.build(dict(type='MaskContrastLoss', temperature=0.5, saliency_weight=1.0))
    q = torch.randn(batch, 32, size, size, device=device, requires_grad=True)
    s = torch.randn(batch, size, size, device=device, requires_grad=True)
    k = torch.randn(batch, 32, size, size, device=device)
    masks = (torch.rand(2, batch, size, size, device=device) > 0.5).long()
    queue = torch.nn.functional.normalize(torch.randn(32, 256, device=device), dim=0)

    def step():
        out = loss(q, s, k, masks[0], masks[1], queue)
        (out['loss_contrastive'] + out['loss_saliency']).backward()
    return timed(step, repeats, device)


def bench_model(device, batch, size, repeats):
    model = MODELS.build(dict(
        type='MaskContrastSegmentor', num_classes=21, queue_size=256,
        backbone=dict(type='ResNet', depth=50, strides=(1, 2, 1, 1), dilations=(1, 1, 2, 4),
                      contract_dilation=True, out_indices=(3, )),
        head=dict(type='MaskContrastHead', embedding_channels=32,
                  decoder=dict(type='DeepLabV3Decoder', in_channels=2048, channels=256)),
        data_preprocessor=dict(type='SegDataPreProcessor', mean=[0, 0, 0], std=[1, 1, 1],
                               size_divisor=8))).to(device).train()
    optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=0.004)
    images = torch.randn(2, batch, 3, size, size, device=device)
    masks = (torch.rand(2, batch, size, size, device=device) > 0.5).long()

    def step():
        model.momentum_update()
        embedding, saliency = model.encode(images[0])[1]
        with torch.no_grad():
            key = model._key_embedding(images[1])
        out = model.loss_module(embedding, saliency, key, masks[0], masks[1],
                                model.queue.queue.clone())
        model.queue.enqueue(out['key_prototypes'])
        optimizer.zero_grad()
        (out['loss_contrastive'] + out['loss_saliency']).backward()
        optimizer.step()
    return timed(step, repeats, device)


def bench_kmeans(repeats):
    vectors = torch.nn.functional.normalize(torch.randn(1449, 32), dim=1)

    def run():
        kmeans(pca_whiten(vectors, 32), 20, seed=1234)
    return timed(run, repeats, torch.device('cpu'))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--batch', type=int, default=4)
    parser.add_argument('--size', type=int, default=224)
    parser.add_argument('--repeats', type=int, default=2)
    args = parser.parse_args()
    init_default_scope('useg')
    device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    torch.manual_seed(0)
    print(f'device: {device}, batch {args.batch}, {args.size}x{args.size}')
    loss_seconds = bench_loss(device, args.batch, args.size, args.repeats)
    print(f'MaskContrastLoss forward+backward: {loss_seconds * 1e3:.1f} ms')
    print(f'full training step (R50 OS8 DeepLab, query + key): '
          f'{bench_model(device, args.batch, args.size, args.repeats):.3f} s')
    print(f'K-means eval on 1449 vectors (PCA-whiten 32 + k-means 20, 1 seed, CPU): '
          f'{bench_kmeans(args.repeats):.3f} s')


if __name__ == '__main__':
    main()
