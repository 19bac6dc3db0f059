"""The template method: the core segmentor plus one method loss (rename it for your paper)."""
from useg.models import UnsupervisedSegmentor
from useg.registry import MODELS


@MODELS.register_module()
class TemplateSegmentor(UnsupervisedSegmentor):
    """Frozen backbone -> trainable ``head`` -> code, trained by ``loss`` (:meth:`method_loss`).

    Everything else is the core's: the cluster / linear probes on ``code.detach()``, one
    optimiser per module (``head``, ``cluster_probe``, ``linear_probe``), prediction, CRF and
    evaluation. Override :meth:`predict_sample` to add prediction fields (see
    ``docs/architecture.md``).

    Args:
        loss: the method's loss config (``TemplateLoss`` here).
        **kwargs: :class:`UnsupervisedSegmentor` arguments (``head`` is required).
    """

    def __init__(self, loss, **kwargs):
        super().__init__(**kwargs)
        if self.head is None:
            raise ValueError('TemplateSegmentor trains a head: give head=dict(type=...)')
        self.method_loss_module = MODELS.build(loss)

    def method_loss(self, feats, code, data_samples):
        """``feats (B, C, h, w)``, ``code (B, D, h, w)`` -> ``dict(loss_similarity=...)``."""
        return dict(loss_similarity=self.method_loss_module(feats, code))
