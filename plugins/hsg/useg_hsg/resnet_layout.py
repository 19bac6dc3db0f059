"""Switch a trained mmseg-style ResNet between HSG's training and test layouts in place."""
from contextlib import contextmanager


def _stage_layers(backbone):
    return [getattr(backbone, name) for name in backbone.res_layers]


def read_layout(backbone):
    """``(strides, dilations)``: first-block stride per stage, 3x3 dilation of every block."""
    strides = tuple(layer[0].conv2.stride[0] for layer in _stage_layers(backbone))
    dilations = tuple(tuple(block.conv2.dilation[0] for block in layer)
                      for layer in _stage_layers(backbone))
    return strides, dilations


def apply_layout(backbone, strides, dilations):
    """Set every stage's stride (on the first block's 3x3 conv and shortcut) and every block's
    3x3 dilation (padding = dilation). The weights are untouched; "pytorch" style blocks only."""
    layers = _stage_layers(backbone)
    if not all(hasattr(block, 'conv3') for layer in layers for block in layer):
        raise TypeError('resnet_layout supports Bottleneck ResNets (depth >= 50) only')
    if len(strides) != len(layers) or len(dilations) != len(layers) or \
            any(len(d) != len(layer) for d, layer in zip(dilations, layers)):
        raise ValueError(f'layout {strides} / {dilations} does not fit the stages '
                         f'{[len(layer) for layer in layers]}')
    for layer, stride, stage_dilations in zip(layers, strides, dilations):
        first = layer[0]
        first.conv2.stride = (stride, stride)
        if first.downsample is not None:
            first.downsample[0].stride = (stride, stride)
        for block, dilation in zip(layer, stage_dilations):
            block.conv2.dilation = (dilation, dilation)
            block.conv2.padding = (dilation, dilation)


@contextmanager
def resnet_layout(backbone, strides, dilations):
    """Run the body with ``backbone`` in the given layout, then restore its own."""
    saved = read_layout(backbone)
    apply_layout(backbone, strides, dilations)
    try:
        yield backbone
    finally:
        apply_layout(backbone, *saved)
