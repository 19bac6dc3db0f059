# PriMaPs pipelines at crop_size (the leaf's, divisible by the patch size: 320 for /8, 322 for
# /14) with the dataset's loaders (.mat files for Potsdam): shorter side -> crop_size (PIL
# bilinear), centre crop. The EM training pipeline adds the cached PriMaPs masks
# (primaps_em_base.py) and a horizontal flip.
eval_pipeline = [
    dict(type='${image_loader}'),
    dict(type='${label_loader}'),
    dict(type='PILResizeShortSide', scale='${crop_size}', interpolation='bilinear'),
    dict(type='TorchvisionCenterCrop', crop_size='${crop_size}'),
    dict(type='PackSegInputs'),
]
em_train_pipeline = [
    dict(type='${image_loader}'),
    dict(type='${label_loader}'),
    dict(type='PILResizeShortSide', scale='${crop_size}', interpolation='bilinear'),
    dict(type='TorchvisionCenterCrop', crop_size='${crop_size}'),
    dict(type='LoadPseudoLabel'),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackUnsupervisedSegInputs'),
]
