# STEGO, DINO ViT-B/8, COCO-Stuff-27 (paper: unsupervised 56.9 Acc / 28.2 mIoU, linear 76.1 / 41.0).
#   python tools/precompute_knn.py configs/stego/stego_dino_vitb8_cocostuff27.py
#   python tools/train.py configs/stego/stego_dino_vitb8_cocostuff27.py
# Loss block "Cocostuff27 ViT-B 10/3" of the reference train_config.yml.
_base_ = ['./stego_base.py', '../_base_/datasets/cocostuff27.py']
num_classes = {{_base_.num_classes}}
code_dim = 70
backbone = dict(type='DINOViT', arch='dino_vitb8',
                init_cfg=dict(type='Pretrained', checkpoint='dino_vitbase8_pretrain.pth'))
model = dict(
    backbone=backbone,
    num_classes=num_classes,
    head=dict(in_channels=768, channels=code_dim),
    correlation_loss=dict(pos_intra_weight=0.1, pos_inter_weight=1.0,
                          neg_inter_weight=0.1538476246415498, pos_intra_shift=0.12,
                          pos_inter_shift=0.2, neg_inter_shift=1.0),
    cluster_probe=dict(in_channels=code_dim, num_clusters=num_classes),
    linear_probe=dict(in_channels=code_dim, num_classes=num_classes))
knn = dict(cache_dir='data/knn', backbone=backbone, topk=30)
train_dataloader = dict(dataset=dict(_delete_=True, type='KNNPairDataset',
                                     dataset={{_base_.train_dataloader.dataset}}, knn=knn,
                                     num_neighbors=7))
