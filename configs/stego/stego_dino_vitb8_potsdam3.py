# STEGO, DINO ViT-B/8, Potsdam-3 (paper: unsupervised 77.0 Acc; the released potsdam_test.ckpt
# evaluates to 77.0 Acc / 62.6 mIoU but was trained with ViT-S/8, see plugins/stego/README.md).
#   python tools/precompute_knn.py configs/stego/stego_dino_vitb8_potsdam3.py
#   python tools/train.py configs/stego/stego_dino_vitb8_potsdam3.py
# Loss block "Potsdam ViT-S 1/31/22" (the only Potsdam block of the reference yaml); uncropped tiles.
_base_ = ['./stego_base.py', '../_base_/datasets/potsdam3.py',
          '../_base_/models/backbones/dino_vitb8.py']
code_dim = 70
model = dict(correlation_loss=dict(
    pos_intra_weight=0.67, pos_inter_weight=0.25, neg_inter_weight=0.63, pos_intra_shift=0.08,
    pos_inter_shift=0.02, neg_inter_shift=0.46))
train_dataloader = dict(dataset=dict(_delete_=True, type='KNNPairDataset', knn='${knn}',
                                     dataset={{_base_.train_dataloader.dataset}}, num_neighbors=7))
