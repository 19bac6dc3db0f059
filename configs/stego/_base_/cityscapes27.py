# STEGO on Cityscapes-27: loss block "Cityscapes 10/3" of the reference train_config.yml; code dim
# 100 as the released Cityscapes checkpoint (the yaml says 70; STEGO issue #52); the training set
# wrapped in KNNPairDataset (7 of the KNN table's neighbours). A leaf adds a backbone base.
_base_ = ['../stego_base.py', '../../_base_/datasets/cityscapes27.py']
code_dim = 100
model = dict(correlation_loss=dict(
    pos_intra_weight=1.0, pos_inter_weight=0.577453483136995, neg_inter_weight=0.9058762625226623,
    pos_intra_shift=0.45828472207, pos_inter_shift=0.1754346515479633,
    neg_inter_shift=0.31361241889448443))
train_dataloader = dict(dataset=dict(_delete_=True, type='KNNPairDataset', knn='${knn}',
                                     dataset={{_base_.train_dataloader.dataset}}, num_neighbors=7))
