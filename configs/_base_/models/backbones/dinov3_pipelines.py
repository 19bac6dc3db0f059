# Pipelines of the patch-16 DINOv3 configs: the datasets' own protocol (PIL nearest resize of the
# shorter side, centre crop) at 320 px for training and validation too, so that a crop gives
# 20 x 20 tokens (the papers train at 224 px with patch 8: 28 x 28). Useg extension.
dinov3_crop = 320  # a multiple of 16
dinov3_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PILResizeShortSide', scale=dinov3_crop, interpolation='nearest'),
    dict(type='CenterCrop', crop_size=dinov3_crop),
    dict(type='PackSegInputs'),
]
