# DepthG on cityscapes27: the dataset base with the depth training pipeline of ./depth_training.py, the
# training set wrapped in KNNPairDataset (7 neighbours; the neighbour's depth comes with it). The
# KNN table is extracted with the dataset's own pipeline, without depth.
# Depth maps: <depth_root>/<image stem>.png for every training image (`useg precompute CONFIG`
# with depth_maps.model_dir set, or written by any depth model; plugins/depthg/README.md).
_base_ = ['../depthg_base.py', '../../_base_/datasets/cityscapes27.py', './depth_training.py']
depth_root = 'data/cityscapes/cropped/five_crop_0.5/depth/train'
train_pipeline = '${depth_train_pipeline}'
knn = dict(pipeline={{_base_.train_pipeline}})
train_dataloader = dict(batch_size=32,
                        dataset=dict(_delete_=True, type='KNNPairDataset', knn='${knn}',
                                     dataset={{_base_.train_dataloader.dataset}}, num_neighbors=7))
# 7000 Lightning steps of the reference = 2334 iterations (three optimiser steps each)
train_cfg = dict(max_iters=2334, val_interval=100)
