# HSG stage 2 trained on VOC12 train_aug, from hsg_r50_stage1_voc.py.
_base_ = ['./hsg_r50_stage2_coco_voc.py']

load_from = 'work_dirs/hsg_r50_stage1_voc/iter_350000.pth'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadRegionMap', region_root='data/VOCdevkit/VOC2012/rf_0.25_48'),
    dict(type='MultiView', view_pipeline={{_base_.view_pipeline}}, num_views=2),
    dict(type='PackMultiViewInputs'),
]
train_dataloader = dict(
    _delete_=True,
    batch_size=6, num_workers=4, persistent_workers=True, drop_last=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type='PascalVOCDataset', data_root={{_base_.voc_root}},
                 data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
                 ann_file='ImageSets/Segmentation/aug.txt', pipeline=train_pipeline))
