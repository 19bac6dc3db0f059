# Segment retrieval, step 1: the memory bank from VOC train (1,464 images, as the reference code).
# python tools/test.py configs/maskcontrast/maskcontrast_r50_voc_retrieval_bank.py CKPT
_base_ = ['./maskcontrast_r50_voc_unsup_saliency.py']
paper_results = None  # retrieval: no row of the K-means / LC table

data_root = 'data/PASCAL_VOC'
memory_bank = 'work_dirs/maskcontrast_retrieval/memory_bank.pth'
# Scored at 512x512: the labels are resized (nearest) with the image.
retrieval_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadCheckedAnnotations'),
    dict(type='Resize', scale=(512, 512), keep_ratio=False, interpolation='bicubic'),
    dict(type='PackSegInputs'),
]
test_dataloader = dict(dataset=dict(
    data_prefix=dict(img_path='images', seg_map_path='SegmentationClass'),
    ann_file='sets/train.txt', pipeline=retrieval_pipeline))
test_evaluator = dict(_delete_=True, type='SegmentMemoryBankMetric', out_file=memory_bank,
                      num_classes=21)
