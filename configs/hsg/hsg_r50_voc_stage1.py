# HSG stage 1 trained on VOC12 train_aug images (10,582) with the authors' regions
# (VOC2012/rf_0.25_48), evaluated on VOC12 val. Same schedule as the COCO-trained model.
_base_ = ['./hsg_r50_coco-voc_stage1.py']
region_root = 'data/VOCdevkit/VOC2012/rf_0.25_48'
train_dataloader = dict(dataset=dict(_delete_=True, type='PascalVOCDataset', data_root='${voc_root}',
                                     data_prefix=dict(img_path='JPEGImages',
                                                      seg_map_path='SegmentationClassAug'),
                                     ann_file='ImageSets/Segmentation/aug.txt',
                                     pipeline='${hsg_train_pipeline}'))
