# ImageNet mean / std (0-255 scale) on RGB (files are read BGR): every useg backbone's input
# normalisation, the one place these numbers are written.
data_preprocessor = dict(
    type='UsegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size_divisor=8)
model = dict(data_preprocessor=data_preprocessor)
