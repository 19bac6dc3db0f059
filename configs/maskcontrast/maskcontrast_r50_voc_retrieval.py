# Segment retrieval, step 2: 1-NN of every VOC val object in the memory bank of step 1, scored on
# 21 classes and on the 7-class protocol (aeroplane, bottle, bus, car, cat, cow, person).
# The 7-class score needs a bank built with the same kept_classes (set it in step 1's metric).
_base_ = ['./maskcontrast_r50_voc_retrieval_bank.py']

test_dataloader = dict(dataset=dict(ann_file='sets/val.txt'))
test_evaluator = [
    dict(type='SegmentRetrievalMetric', memory_bank={{_base_.memory_bank}}, num_classes=21,
         prefix='retrieval_21'),
]
