# STEGO on COCO-Stuff-27: loss block "Cocostuff27 ViT-B 10/3" of the reference train_config.yml,
# code dim 70, the training set wrapped in KNNPairDataset (7 of the KNN table's neighbours).
# A leaf adds a backbone base (and may set crop_size).
_base_ = ['../stego_base.py', '../../_base_/datasets/cocostuff27.py']
code_dim = 70
model = dict(correlation_loss=dict(
    pos_intra_weight=0.1, pos_inter_weight=1.0, neg_inter_weight=0.1538476246415498,
    pos_intra_shift=0.12, pos_inter_shift=0.2, neg_inter_shift=1.0))
train_dataloader = dict(dataset=dict(_delete_=True, type='KNNPairDataset', knn='${knn}',
                                     dataset={{_base_.train_dataloader.dataset}}, num_neighbors=7))
