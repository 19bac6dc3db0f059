# STEGO, DINO ViT-B/8, COCO-Stuff-27 (paper: unsupervised 56.9 Acc / 28.2 mIoU, linear 76.1 / 41.0).
#   python tools/precompute_knn.py configs/stego/stego_dino_vitb8_cocostuff27.py
#   python tools/train.py configs/stego/stego_dino_vitb8_cocostuff27.py
# Loss block "Cocostuff27 ViT-B 10/3" of the reference train_config.yml.
_base_ = ['./stego_base.py', '../_base_/datasets/cocostuff27.py',
          '../_base_/models/backbones/dino_vitb8.py']
code_dim = 70
model = dict(correlation_loss=dict(
    pos_intra_weight=0.1, pos_inter_weight=1.0, neg_inter_weight=0.1538476246415498,
    pos_intra_shift=0.12, pos_inter_shift=0.2, neg_inter_shift=1.0))
train_dataloader = dict(dataset=dict(_delete_=True, type='KNNPairDataset', knn='${knn}',
                                     dataset={{_base_.train_dataloader.dataset}}, num_neighbors=7))
