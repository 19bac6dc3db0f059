# HSG stage 1 trained on VOC12 train_aug images (10,582) with the authors' regions
# (VOC2012/rf_0.25_48), evaluated on VOC12 val. Same schedule as the COCO-trained model.
_base_ = ['./hsg_r50_stage1_coco_voc.py']

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadRegionMap', region_root='data/VOCdevkit/VOC2012/rf_0.25_48'),
    dict(type='MultiView', view_pipeline={{_base_.view_pipeline}}, num_views=2),
    dict(type='PackMultiViewInputs'),
]
train_dataloader = dict(
    _delete_=True,
    batch_size=16, num_workers=4, persistent_workers=True, drop_last=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='PascalVOCDataset', data_root={{_base_.voc_root}},
                 data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
                 ann_file='ImageSets/Segmentation/aug.txt', pipeline=train_pipeline))
