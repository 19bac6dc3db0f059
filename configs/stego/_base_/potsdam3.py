# STEGO on Potsdam-3 (uncropped tiles): loss block "Potsdam ViT-S 1/31/22" (the only Potsdam block
# of the reference yaml), code dim 70, the training set wrapped in KNNPairDataset (7 of the KNN
# table's neighbours). A leaf adds a backbone base.
_base_ = ['../stego_base.py', '../../_base_/datasets/potsdam3.py']
code_dim = 70
model = dict(correlation_loss=dict(
    pos_intra_weight=0.67, pos_inter_weight=0.25, neg_inter_weight=0.63, pos_intra_shift=0.08,
    pos_inter_shift=0.02, neg_inter_shift=0.46))
train_dataloader = dict(dataset=dict(_delete_=True, type='KNNPairDataset', knn='${knn}',
                                     dataset={{_base_.train_dataloader.dataset}}, num_neighbors=7))
