"""STEGO: a frozen DINO backbone, a projection head trained by correlation distillation, probes."""
from useg.models import UnsupervisedSegmentor
from useg.neighbors import NEIGHBOR_INPUTS
from useg.registry import MODELS


@MODELS.register_module()
class STEGOSegmentor(UnsupervisedSegmentor):
    """:class:`UnsupervisedSegmentor` whose head is trained by :class:`STEGOCorrelationLoss`.

    A training step, as the reference orders it (so dropout masks are drawn in the same order):
    ``code = head(feats)`` (two dropout masks), ``signal = head.dropout_features(feats)`` (a third),
    then the same for the KNN neighbour image, whose packed ``(3, H, W)`` tensor every data sample
    carries as ``neighbor_inputs`` (see :class:`useg.neighbors.KNNPairDataset`). The correlation
    loss reads ``(signal, signal_pos, code, code_pos)``; the probes read ``code.detach()``.

    Args:
        correlation_loss: ``STEGOCorrelationLoss`` config.
        feature_dropout: use the head's channel dropout on the correlation features (the
            reference's ``dropout=True``); False uses the raw backbone features.
        **kwargs: :class:`UnsupervisedSegmentor` arguments (``head`` is required).
    """

    def __init__(self, correlation_loss, feature_dropout=True, **kwargs):
        super().__init__(**kwargs)
        if self.head is None:
            raise ValueError('STEGOSegmentor needs a head (e.g. ProjectionHead) to train')
        self.correlation_loss = MODELS.build(correlation_loss)
        self.feature_dropout = feature_dropout

    def correlation_signal(self, feats):
        """Features ``(B, C, h, w)`` the feature correlation is computed from."""
        return self.head.dropout_features(feats) if self.feature_dropout else feats

    def neighbor_inputs(self, data_samples):
        """Normalised neighbour images ``(B, 3, H, W)`` from the data samples."""
        missing = [index for index, sample in enumerate(data_samples) if NEIGHBOR_INPUTS not in sample]
        if missing:
            raise KeyError(f'STEGO training needs a KNN neighbour per sample ({NEIGHBOR_INPUTS!r}); '
                           f'samples {missing} have none: wrap the training set in KNNPairDataset')
        images = [sample.get(NEIGHBOR_INPUTS) for sample in data_samples]
        return self.data_preprocessor(dict(inputs=images), False)['inputs']

    def method_loss(self, feats, code, data_samples):
        signal = self.correlation_signal(feats)
        feats_pos, code_pos = self.encode(self.neighbor_inputs(data_samples))
        signal_pos = self.correlation_signal(feats_pos)
        return self.correlation_loss(signal, signal_pos, code, code_pos)

