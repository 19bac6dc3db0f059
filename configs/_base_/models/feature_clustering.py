# Core model: frozen backbone, no trained head; cluster probe (online spherical k-means) and linear
# probe directly on the backbone features -- the "frozen DINO features" baseline of STEGO's tables.
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],  # ImageNet statistics, 0-255 scale
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size_divisor=8)
model = dict(
    type='UnsupervisedSegmentor',
    data_preprocessor=data_preprocessor,
    backbone=dict(type='DINOViT', arch='dino_vits8',
                  init_cfg=dict(type='Pretrained', checkpoint='dino_deitsmall8_pretrain.pth')),
    head=None,
    num_classes=27,
    cluster_probe=dict(type='ClusterProbe', in_channels=384, num_clusters=27),
    linear_probe=dict(type='LinearProbe', in_channels=384, num_classes=27),
    test_cfg=dict(flip=True, alpha=2.0, crf=False))
