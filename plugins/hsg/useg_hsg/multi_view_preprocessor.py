"""Data preprocessor that lays the views of each image next to each other in the batch."""
from useg.models.data_preprocessor import UsegDataPreProcessor

from useg.registry import MODELS


@MODELS.register_module()
class MultiViewSegDataPreProcessor(UsegDataPreProcessor):
    """``UsegDataPreProcessor`` that, in training, expands samples packed by
    :class:`PackMultiViewInputs` into ``B * V`` views ordered ``(v0, v1, v0, v1, ...)``."""

    def forward(self, data, training=False):
        samples = data.get('data_samples')
        if training and samples and 'extra_views' in samples[0]:
            inputs, expanded = [], []
            for image, sample in zip(data['inputs'], samples):
                views = sample.extra_views
                del sample.extra_views
                inputs.append(image)
                expanded.append(sample)
                for view_inputs, view_sample in views:
                    inputs.append(view_inputs)
                    expanded.append(view_sample)
            data = dict(data, inputs=inputs, data_samples=expanded)
        return super().forward(data, training)
