# STEGO, DINO ViT-S/8, COCO-Stuff-27 (paper: unsupervised 48.3 Acc / 24.5 mIoU, linear 74.4 / 38.3).
#   python tools/precompute_knn.py configs/stego/stego_dino_vits8_cocostuff27.py
#   python tools/train.py configs/stego/stego_dino_vits8_cocostuff27.py
# Loss block "Cocostuff27 ViT-S 1/31/22" of the reference train_config.yml.
_base_ = ['./stego_base.py', '../_base_/datasets/cocostuff27.py',
          '../_base_/models/backbones/dino_vits8_300ep.py']
code_dim = 70
model = dict(correlation_loss=dict(
    pos_intra_weight=0.67, pos_inter_weight=0.25, neg_inter_weight=0.63, pos_intra_shift=0.08,
    pos_inter_shift=0.02, neg_inter_shift=0.66))
train_dataloader = dict(dataset=dict(_delete_=True, type='KNNPairDataset', knn='${knn}',
                                     dataset={{_base_.train_dataloader.dataset}}, num_neighbors=7))
