# EAGLE on COCO-Stuff-27: train_config_cocostuff.yml of the reference (27 + 5 extra clusters, 32
# eigen prototypes, 224 px five-crop training, 10,000 iterations; the reference ran 2-GPU DDP
# with 32 per GPU). A leaf adds a backbone base and sets key_channels.
_base_ = ['../eagle_base.py', '../../_base_/datasets/cocostuff27.py']
num_clusters = 32  # 27 classes + 5 extra clusters (cluster probe and cluster metrics)
train_dataloader = dict(batch_size=32)
val_dataloader = dict(batch_size=16)
