# The STEGO / PiCIE / PriMaPs protocol: shorter side -> crop_size (train) / eval_size (eval) with
# PIL (resize_interpolation), then the centre square. Every pipeline reads the variables, so a
# child config changes the resolution in one line (e.g. crop_size = 448; resolved when the
# config is loaded, see useg.apis.resolve_variables).
_base_ = ['./loaders.py']
image_loader = 'LoadImageFromFile'
label_loader = 'LoadCheckedAnnotations'
resize_interpolation = 'nearest'
crop_size = 224
eval_size = 320

train_pipeline = [
    dict(type='${image_loader}'),
    dict(type='${label_loader}'),
    dict(type='PILResizeShortSide', scale='${crop_size}', interpolation='${resize_interpolation}'),
    dict(type='TorchvisionCenterCrop', crop_size='${crop_size}'),
    dict(type='PackSegInputs'),
]
test_pipeline = [
    dict(type='${image_loader}'),
    dict(type='${label_loader}'),
    dict(type='PILResizeShortSide', scale='${eval_size}', interpolation='${resize_interpolation}'),
    dict(type='TorchvisionCenterCrop', crop_size='${eval_size}'),
    dict(type='PackSegInputs'),
]
