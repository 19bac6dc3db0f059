"""``UsegDataPreProcessor``: mmseg's preprocessor that also batches evaluation images of
different sizes (padding that every consumer removes before use)."""
import math

import torch
import torch.nn.functional as F
from mmseg.models.data_preprocessor import SegDataPreProcessor

from useg.registry import MODELS


@MODELS.register_module()
class UsegDataPreProcessor(SegDataPreProcessor):
    """``SegDataPreProcessor`` whose evaluation path accepts images of any sizes.

    Equal sizes that are multiples of ``size_divisor``: exactly mmseg's. Otherwise (a folder of
    photos) each ``(3, H_i, W_i)`` image is padded bottom / right with ``pad_val``, first to its
    own multiple of ``size_divisor`` (``input_shape`` in its metainfo), then to the batch's
    largest size; labels stay at their own size and ``img_shape`` stays ``(H_i, W_i)``.
    Predictions and hooks take each image back at its ``input_shape`` with
    :func:`unpadded_batches`, so no other image's padding reaches the backbone.
    """

    def forward(self, data, training=False):
        inputs = data['inputs']
        divisor = self.size_divisor or 1
        shapes = [tuple(image.shape[1:]) for image in inputs]
        if training or (len(set(shapes)) <= 1 and
                        all(size % divisor == 0 for shape in shapes for size in shape)):
            return super().forward(data, training)
        own = [tuple(math.ceil(size / divisor) * divisor for size in shape) for shape in shapes]
        height, width = max(shape[0] for shape in own), max(shape[1] for shape in own)
        padded = []
        for image in inputs:
            pad = (0, width - image.shape[2], 0, height - image.shape[1])
            padded.append(F.pad(self.normalised(image), pad, value=self.pad_val))
        samples = data.get('data_samples')
        if samples is not None:
            samples = self.cast_data(samples)
            for shape, input_shape, sample in zip(shapes, own, samples):
                sample.set_metainfo(dict(img_shape=shape, input_shape=input_shape))
        return dict(inputs=torch.cat(padded), data_samples=samples)

    def normalised(self, image):
        """``(3, H, W)`` as read -> ``(1, 3, H, W)`` float on the device, channels converted and
        normalised as mmseg's preprocessor does."""
        image = self.cast_data(image)
        if self.channel_conversion and image.size(0) == 3:
            image = image[[2, 1, 0], ...]
        image = image.float()
        if self._enable_normalize:
            image = (image - self.mean) / self.std
        return image[None]


def is_padded(inputs, data_samples):
    """Whether some sample's ``input_shape`` (see :class:`UsegDataPreProcessor`) is smaller
    than the batch ``inputs (B, 3, H, W)``."""
    size = tuple(inputs.shape[-2:])
    return any(tuple(sample.metainfo.get('input_shape', size)) != size
               for sample in data_samples or ())


def unpadded_batches(inputs, data_samples):
    """``[(inputs, data_samples)]``: the batch itself when no sample is padded, else one
    ``((1, 3, h_i, w_i), [sample])`` per image at its ``input_shape``."""
    if not is_padded(inputs, data_samples):
        return [(inputs, data_samples)]
    batches = []
    for index, sample in enumerate(data_samples):
        height, width = sample.metainfo['input_shape']
        batches.append((inputs[index:index + 1, :, :height, :width], [sample]))
    return batches
