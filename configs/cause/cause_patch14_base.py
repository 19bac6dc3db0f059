# The 322 px centre crops (23 x 23 tokens at patch 14) that replace the datasets' 320 px crops in
# the DINOv2 configs (clusterbook, TR training, test); a sibling base of cause_{mlp,tr}_*_base.py.
patch14_crop_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PILResizeShortSide', scale=322, interpolation='nearest'),
    dict(type='CenterCrop', crop_size=322),
    dict(type='PackSegInputs'),
]
