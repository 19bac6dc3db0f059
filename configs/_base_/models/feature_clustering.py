# Core model: frozen backbone, no trained head; cluster probe (online spherical k-means) and linear
# probe directly on the backbone features -- the "frozen DINO features" baseline of STEGO's tables.
# The probes' in_channels default to the backbone's width, num_classes is the dataset config's.
_base_ = ['./imagenet_preprocessor.py']
model = dict(
    type='UnsupervisedSegmentor',
    backbone_precision='auto',  # frozen passes in bf16 where the device has bf16 units
    backbone=dict(type='DINOViT', arch='dino_vits8',
                  init_cfg=dict(type='Pretrained', checkpoint='dino_deitsmall8_pretrain.pth')),
    head=None,
    num_classes='${num_classes}',  # the dataset config's
    cluster_probe=dict(type='ClusterProbe', num_clusters='${num_classes}'),
    linear_probe=dict(type='LinearProbe', num_classes='${num_classes}'),
    test_cfg=dict(flip=True, alpha=2.0, crf=False))
