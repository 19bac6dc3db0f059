# STEGO, DINO ViT-B/8, Cityscapes-27 (paper: unsupervised 73.2 Acc / 21.0 mIoU).
#   python tools/precompute_knn.py configs/stego/stego_dino_vitb8_cityscapes27.py
#   python tools/train.py configs/stego/stego_dino_vitb8_cityscapes27.py
# Loss block "Cityscapes 10/3" of the reference train_config.yml; code dim 100 as the released
# Cityscapes checkpoint (the yaml says 70; STEGO issue #52).
_base_ = ['./stego_base.py', '../_base_/datasets/cityscapes27.py']
num_classes = {{_base_.num_classes}}
code_dim = 100
backbone = dict(type='DINOViT', arch='dino_vitb8',
                init_cfg=dict(type='Pretrained', checkpoint='dino_vitbase8_pretrain.pth'))
model = dict(
    backbone=backbone,
    num_classes=num_classes,
    head=dict(in_channels=768, channels=code_dim),
    correlation_loss=dict(pos_intra_weight=1.0, pos_inter_weight=0.577453483136995,
                          neg_inter_weight=0.9058762625226623, pos_intra_shift=0.45828472207,
                          pos_inter_shift=0.1754346515479633,
                          neg_inter_shift=0.31361241889448443),
    cluster_probe=dict(in_channels=code_dim, num_clusters=num_classes),
    linear_probe=dict(in_channels=code_dim, num_classes=num_classes))
knn = dict(cache_dir='data/knn', backbone=backbone, topk=30)
train_dataloader = dict(dataset=dict(_delete_=True, type='KNNPairDataset',
                                     dataset={{_base_.train_dataloader.dataset}}, knn=knn,
                                     num_neighbors=7))
