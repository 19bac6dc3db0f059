"""EAGLE: multi-level keys, a STEGO-style head, EiCue-guided object contrast switched in by a schedule."""
import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapperDict
from torch import nn
from torchvision.transforms.functional import gaussian_blur

from useg.models import UnsupervisedSegmentor
from useg.models.heads import ClusterProbe
from useg.registry import MODELS

from .eicue import eicue
from .keys import multilevel_keys
from .object_loss import token_weights

EAGLE_TEST_CFG = dict(flip=True, alpha=4.0)
COLOR_SOURCES = ('rgb', 'normalized')


def loss_schedule(step, start=200, limit=0.9):
    """Object-loss share ``u = min(1 if step > start else 0, limit)``; ``step`` = completed iterations."""
    return float(min(1 if step > start else 0, limit))


@MODELS.register_module()
class EAGLESegmentor(UnsupervisedSegmentor):
    """:class:`UnsupervisedSegmentor` on multi-level attention keys trained by EAGLE's losses.

    A training step: the blurred copy of each image first (``RandomApply(GaussianBlur(3,
    sigma ~ U(0.1, 2)), p=0.5)`` on the normalised input), then the keys of the image (also its
    positive: the same image) and of the blurred copy;
    per view ``code = head(keys)`` then ``signal = head.dropout_features(keys)``; the correlation loss;
    EiCue of the positive and blurred codes (colour of the image) through ``eigen_probe`` /
    ``eigen_probe_aug`` (``alpha=1``) whose argmax labels the object loss; the losses weighted by
    :func:`loss_schedule`. The object loss trains the head and ``projector``.

    Args:
        correlation_loss, object_loss: ``EAGLECorrelationLoss`` / ``ObjectContrastiveLoss`` configs.
        key_blocks: ViT blocks whose keys are the features.
        num_eigenvectors: K (EiCue has K - 1 channels).
        eigen_clusters: M, prototypes of each eigen probe.
        object_weights: weights of the positive and blurred-view object losses.
        schedule: :func:`loss_schedule` arguments ``start``, ``limit``.
        color_source: ``'rgb'`` (un-normalised RGB in [0, 255]) or ``'normalized'`` (the network
            input, the reference) for the colour affinity.
        color_sigma: sigma of the colour affinity.
        blur_probability: probability of blurring the augmented view.
        **kwargs: :class:`UnsupervisedSegmentor` arguments; ``test_cfg`` defaults to ``flip=True``,
            ``alpha=4.0``.
    """

    def __init__(self, correlation_loss=dict(type='EAGLECorrelationLoss'),
                 object_loss=dict(type='ObjectContrastiveLoss'), key_blocks=(-3, -2, -1),
                 num_eigenvectors=4, eigen_clusters=32, object_weights=(0.85, 0.85),
                 schedule=dict(start=200, limit=0.9), color_source='rgb', color_sigma=0.1,
                 blur_probability=0.5, test_cfg=None, **kwargs):
        if color_source not in COLOR_SOURCES:
            raise ValueError(f'color_source must be one of {COLOR_SOURCES}, got {color_source!r}')
        super().__init__(test_cfg={**EAGLE_TEST_CFG, **(test_cfg or {})}, **kwargs)
        if self.head is None:
            raise ValueError('EAGLESegmentor needs a head (e.g. ProjectionHead) to train')
        self.correlation_loss = MODELS.build(correlation_loss)
        self.object_loss = MODELS.build(object_loss)
        self.key_blocks = tuple(key_blocks)
        self.num_eigenvectors = int(num_eigenvectors)
        self.object_weights = tuple(float(weight) for weight in object_weights)
        self.schedule = dict(schedule)
        self.color_source = color_source
        self.color_sigma = float(color_sigma)
        self.blur_probability = float(blur_probability)
        self.projector = nn.Linear(self.code_channels, self.code_channels)
        self.eigen_probe = ClusterProbe(self.num_eigenvectors - 1, eigen_clusters)
        self.eigen_probe_aug = ClusterProbe(self.num_eigenvectors - 1, eigen_clusters)
        self.register_buffer('completed_iters', torch.zeros((), dtype=torch.long))

    def extract_feat(self, inputs):
        """``inputs (B, 3, H, W)`` -> keys of ``key_blocks`` ``(B, len(key_blocks) * C, h, w)``
        (float32; the frozen pass of :meth:`frozen_pass`)."""
        return self.frozen_pass(lambda images: multilevel_keys(self.backbone, images,
                                                               self.key_blocks), inputs)

    def blurred(self, inputs):
        """The augmented view: each image blurred (kernel 3, sigma ~ U(0.1, 2)) with probability p."""
        views = []
        for image in inputs:
            if torch.rand(1).item() < self.blur_probability:
                sigma = torch.empty(1).uniform_(0.1, 2.0).item()
                image = gaussian_blur(image, [3, 3], [sigma, sigma])
            views.append(image)
        return torch.stack(views)

    def view(self, feats):
        """``(signal, code)`` of one view: code first (two masks), then the signal mask."""
        code = self.head(feats)
        return self.head.dropout_features(feats), code

    def color_images(self, inputs):
        """Images ``(B, 3, H, W)`` the colour affinity reads (divided by 255 there): the network
        input, or for ``'rgb'`` its un-normalised float RGB in [0, 255]."""
        preprocessor = self.data_preprocessor
        if self.color_source == 'normalized' or not getattr(preprocessor, '_enable_normalize', False):
            return inputs
        return (inputs * preprocessor.std + preprocessor.mean).clamp(0, 255)

    def projections(self, code):
        """``code (B, D, h, w)`` -> normalised projections ``(B * h * w, D)`` (b-major)."""
        return F.normalize(self.projector(code.flatten(2).transpose(1, 2).reshape(-1, code.shape[1])),
                           dim=1)

    def loss(self, inputs, data_samples):
        blurred = self.blurred(inputs)  # the reference blurs in its data pipeline, before the step
        feats = self.extract_feat(inputs)
        signal, code = self.view(feats)
        signal_pos, code_pos = self.view(feats)
        signal_aug, code_aug = self.view(self.extract_feat(blurred))
        losses = self.method_terms(inputs, (signal, code), (signal_pos, code_pos),
                                   (signal_aug, code_aug))
        losses.update(self.probe_losses(code, data_samples))
        return losses

    def method_terms(self, inputs, image, positive, augmented):
        """EAGLE's weighted losses from the three views' ``(signal, code)``."""
        (signal, code), (signal_pos, code_pos), (signal_aug, code_aug) = image, positive, augmented
        share = loss_schedule(int(self.completed_iters), **self.schedule)
        correlation = self.correlation_loss(signal, signal_pos, signal_aug, code, code_pos, code_aug)
        losses = {key: value * (1 - share) if key.startswith('loss') else value
                  for key, value in correlation.items()}
        colors = self.color_images(inputs)
        eig_pos = eicue(code_pos, colors, self.num_eigenvectors, self.color_sigma)
        eig_aug = eicue(code_aug, colors, self.num_eigenvectors, self.color_sigma)
        loss_eig, _ = self.eigen_probe(eig_pos, alpha=1)
        loss_eig_aug, _ = self.eigen_probe_aug(eig_aug, alpha=1)
        losses['loss_eig'] = loss_eig / 2
        losses['loss_eig_aug'] = loss_eig_aug / 2
        if share > 0:  # skipped while its weight is 0 (no NaN can leak in)
            with torch.no_grad():
                labels_pos = self.eigen_probe.cosine(eig_pos).argmax(1).reshape(-1)
                labels_aug = self.eigen_probe_aug.cosine(eig_aug).argmax(1).reshape(-1)
            z_pos, z_aug = self.projections(code_pos), self.projections(code_aug)
            losses['loss_obj'] = share * self.object_weights[0] * self.object_loss(
                z_pos, z_aug, labels_pos, token_weights(signal_pos))
            losses['loss_obj_aug'] = share * self.object_weights[1] * self.object_loss(
                z_aug, z_pos, labels_aug, token_weights(signal_aug))
        return losses

    def loss_optimizer(self, key):
        if key.startswith('loss_eig_aug'):
            return 'eigen_probe_aug'
        if key.startswith('loss_eig'):
            return 'eigen_probe'
        return super().loss_optimizer(key)

    def train_step(self, data, optim_wrapper):
        """The core step; the projector (trained by the head's object losses) steps with the head."""
        log_vars = super().train_step(data, optim_wrapper)
        if isinstance(optim_wrapper, OptimWrapperDict) and 'projector' in optim_wrapper:
            optim_wrapper['projector'].step()
            optim_wrapper['projector'].zero_grad()
        self.completed_iters += 1
        return log_vars
