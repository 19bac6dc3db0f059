# HSG stage 2 trained on VOC12 train_aug, from hsg_r50_voc_stage1.py.
_base_ = ['./hsg_r50_coco-voc_stage2.py']
load_from = 'work_dirs/hsg_r50_voc_stage1/iter_350000.pth'
region_root = 'data/VOCdevkit/VOC2012/rf_0.25_48'
train_dataloader = dict(dataset=dict(_delete_=True, type='PascalVOCDataset', data_root='${voc_root}',
                                     data_prefix=dict(img_path='JPEGImages',
                                                      seg_map_path='SegmentationClassAug'),
                                     ann_file='ImageSets/Segmentation/aug.txt',
                                     pipeline='${hsg_train_pipeline}'))
