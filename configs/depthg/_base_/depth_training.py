# DepthG's training pipeline: the dataset's with LoadDepthMap after the label (so the
# depth follows the same resize and crop; a dataset base sets
# ``train_pipeline = '${depth_train_pipeline}'``).
depth_train_pipeline = [
    dict(type='${image_loader}'),
    dict(type='${label_loader}'),
    dict(type='LoadDepthMap', scale='${depth_scale}', depth_root='${depth_root}',
         suffix='${depth_suffix}'),
    dict(type='PILResizeShortSide', scale='${crop_size}', interpolation='${resize_interpolation}'),
    dict(type='TorchvisionCenterCrop', crop_size='${crop_size}'),
    dict(type='PackSegInputs'),
]
