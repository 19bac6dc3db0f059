# STEGO, DINO ViT-B/8, Cityscapes-27 (paper: unsupervised 73.2 Acc / 21.0 mIoU).
#   python tools/precompute_knn.py configs/stego/stego_dino_vitb8_cityscapes27.py
#   python tools/train.py configs/stego/stego_dino_vitb8_cityscapes27.py
# Loss block "Cityscapes 10/3" of the reference train_config.yml; code dim 100 as the released
# Cityscapes checkpoint (the yaml says 70; STEGO issue #52).
_base_ = ['./stego_base.py', '../_base_/datasets/cityscapes27.py',
          '../_base_/models/backbones/dino_vitb8.py']
code_dim = 100
model = dict(correlation_loss=dict(
    pos_intra_weight=1.0, pos_inter_weight=0.577453483136995, neg_inter_weight=0.9058762625226623,
    pos_intra_shift=0.45828472207, pos_inter_shift=0.1754346515479633,
    neg_inter_shift=0.31361241889448443))
train_dataloader = dict(dataset=dict(_delete_=True, type='KNNPairDataset', knn='${knn}',
                                     dataset={{_base_.train_dataloader.dataset}}, num_neighbors=7))
