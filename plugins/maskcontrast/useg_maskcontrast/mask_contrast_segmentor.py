"""MaskContrast: a query encoder trained against a momentum key encoder and a prototype queue."""
import copy
from typing import NamedTuple

import torch
import torch.nn.functional as F
from mmengine.structures import PixelData

from useg.models import UnsupervisedSegmentor
from useg.models.segmentor import CRF_TEST_CFG_KEYS
from useg.registry import MODELS
from useg.utils import ema_update

from .batch_shuffle import shuffled_forward
from .mask_embedding import saliency_weighted_embedding
from .prototype_queue import PrototypeQueue

SALIENCY_THRESHOLD = 0.5


class MaskContrastCode(NamedTuple):
    """The ``code`` of :meth:`MaskContrastSegmentor.encode` (one batch, or one sample of it).

    Attributes:
        features: decoder features ``(B, 256, h, w)`` (what the linear probe reads).
        embedding: pixel embedding ``(B, D, H, W)``, bilinearly upsampled to the input size.
        saliency: saliency logits ``(B, H, W)`` at the input size.
    """
    features: torch.Tensor
    embedding: torch.Tensor
    saliency: torch.Tensor


@MODELS.register_module()
class MaskContrastSegmentor(UnsupervisedSegmentor):
    """Dilated ResNet + :class:`MaskContrastHead` (query encoder), its EMA copy (key encoder) and a
    :class:`PrototypeQueue`; the backbone is trained, not frozen.

    Training (pretraining stage, ``freeze_encoder=False``): the query view ``inputs (B, 3, H, W)``
    with its saliency ``data_sample.pseudo_sem_seg`` and the key view ``data_sample.key_img`` with
    ``data_sample.key_pseudo_sem_seg`` (see ``MaskContrastViews`` / ``PackMaskContrastInputs``) give
    ``loss_contrastive`` + ``loss_saliency`` (:class:`MaskContrastLoss`, outputs upsampled to the
    input size first); the key prototypes are then enqueued. The key encoder is updated by
    :meth:`momentum_update` (:func:`useg.utils.ema_update` of the parameters), which
    ``MomentumEncoderHook`` calls before every step.

    Linear-probe stage (``freeze_encoder=True``): the whole encoder stays in eval mode without
    gradients and only ``linear_probe`` (1x1 conv on the 256-d decoder features) trains on
    ``gt_sem_seg``.

    Prediction writes per sample, at the label's size: ``saliency_sem_seg`` (0/1, logit > 0.5,
    nearest-resized from the input size), ``mask_embedding`` ``(D,)`` (the logit-weighted pooled
    embedding the K-means and retrieval metrics use), ``linear_pred_sem_seg`` with a linear probe
    (and ``crf_linear_pred_sem_seg`` with ``test_cfg.crf``), ``pred_sem_seg`` = the linear
    prediction when there is a probe, else the saliency mask. It runs through the core's
    prediction hooks (:meth:`sample_code`, :meth:`predict_sample`): one encoder pass per batch, no
    flip; ``test_cfg.crf`` needs a linear probe (else it is an error).

    Args:
        backbone / head: query encoder configs (``MaskContrastHead`` for ``head``).
        loss: ``MaskContrastLoss`` config.
        queue_size: K (a multiple of the global batch).
        momentum: EMA momentum of the key encoder.
        linear_probe: ``LinearProbe`` config on the decoder features, or None.
        freeze_encoder: linear-probe stage.
        backbone_precision: see :class:`UnsupervisedSegmentor`; here it applies to the query
            backbone's passes without training (``freeze_encoder``, validation, test, infer). The
            passes that train it and the key encoder's targets keep the trainer's precision.
    """

    def __init__(self, backbone, head, num_classes=21,
                 loss=dict(type='MaskContrastLoss', temperature=0.5, saliency_weight=1.0),
                 queue_size=256, momentum=0.999, linear_probe=None, freeze_encoder=False,
                 data_preprocessor=None, train_cfg=None, test_cfg=None, init_cfg=None,
                 backbone_precision='fp32'):
        super().__init__(backbone=backbone, num_classes=num_classes, head=head,
                         linear_probe=linear_probe, data_preprocessor=data_preprocessor,
                         train_cfg=train_cfg, test_cfg=test_cfg, init_cfg=init_cfg,
                         backbone_precision=backbone_precision)
        self.loss_module = MODELS.build(loss)
        self.momentum = momentum
        self.freeze_encoder = freeze_encoder
        self.key_backbone = copy.deepcopy(self.backbone)
        self.key_head = copy.deepcopy(self.head)
        for param in self.key_parameters():
            param.requires_grad = False
        if freeze_encoder:
            for param in self.query_parameters():
                param.requires_grad = False
        self.queue = PrototypeQueue(self.head.embedding_channels, queue_size)

    # ----------------------------------------------------------------------------- encoders
    def query_parameters(self):
        return list(self.backbone.parameters()) + list(self.head.parameters())

    def key_parameters(self):
        return list(self.key_backbone.parameters()) + list(self.key_head.parameters())

    def init_weights(self):
        """Initialise the query encoder (e.g. MoCo / ImageNet weights), then copy it to the key's."""
        super().init_weights()
        with torch.no_grad():
            for query, key in zip(self.query_parameters(), self.key_parameters()):
                key.copy_(query)

    def momentum_update(self):
        """``key = key * m + query * (1 - m)`` for every parameter (buffers are not averaged)."""
        ema_update(self.key_parameters(), self.query_parameters(), self.momentum)

    def train(self, mode=True):
        super().train(mode)
        if self.freeze_encoder:
            for module in (self.backbone, self.head, self.key_backbone, self.key_head):
                module.eval()
        return self

    @staticmethod
    def _last_level(feats):
        return feats[-1] if isinstance(feats, (list, tuple)) else feats

    def extract_feat(self, inputs):
        """``inputs (B, 3, H, W)`` -> last backbone level ``(B, 2048, H/8, W/8)`` (through
        :meth:`frozen_pass`)."""
        return self._last_level(self.frozen_pass(self.backbone, inputs))

    def encode(self, inputs):
        """``inputs`` -> ``(feats (B, 2048, h, w), code)``: the last backbone level and a
        :class:`MaskContrastCode` (decoder features; embedding and saliency logits bilinearly
        upsampled to the input size)."""
        feats = self.extract_feat(inputs)
        features, embedding, saliency = self.head(feats)
        size = inputs.shape[-2:]
        embedding = F.interpolate(embedding, size=size, mode='bilinear', align_corners=False)
        saliency = F.interpolate(saliency[:, None], size=size, mode='bilinear',
                                 align_corners=False)[:, 0]
        return feats, MaskContrastCode(features, embedding, saliency)

    def _key_embedding(self, key_inputs):
        features = self._last_level(self.key_backbone(key_inputs))
        embedding = self.key_head(features)[1]
        return F.interpolate(embedding, size=key_inputs.shape[-2:], mode='bilinear',
                             align_corners=False)

    def _key_inputs(self, data_samples, device):
        """``data_sample.key_img`` (uint8 BGR) normalised like ``inputs`` by the data preprocessor."""
        if not all('key_img' in sample for sample in data_samples):
            raise KeyError('MaskContrast training needs paired views: put MaskContrastViews and '
                           'PackMaskContrastInputs in the training pipeline')
        keys = torch.stack([sample.key_img.data for sample in data_samples]).to(device).float()
        preprocessor = self.data_preprocessor
        if preprocessor.channel_conversion:
            keys = keys[:, [2, 1, 0]]
        if getattr(preprocessor, 'mean', None) is not None:  # the preprocessor normalises
            keys = (keys - preprocessor.mean) / preprocessor.std
        return keys

    @staticmethod
    def _masks(data_samples, field, device):
        return torch.stack([sample.get(field).data[0] for sample in data_samples]).to(device) == 1

    # ----------------------------------------------------------------------------- training
    def loss(self, inputs, data_samples):
        if self.freeze_encoder:
            return self.linear_probe_loss(inputs, data_samples)
        code = self.encode(inputs)[1]
        key_inputs = self._key_inputs(data_samples, inputs.device)
        with torch.no_grad():
            key_embedding = shuffled_forward(self._key_embedding, key_inputs)
        outputs = self.loss_module(code.embedding, code.saliency, key_embedding,
                                   self._masks(data_samples, 'pseudo_sem_seg', inputs.device),
                                   self._masks(data_samples, 'key_pseudo_sem_seg', inputs.device),
                                   self.queue.queue.clone())
        self.queue.enqueue(outputs['key_prototypes'])
        losses = dict(loss_contrastive=outputs['loss_contrastive'],
                      loss_saliency=outputs['loss_saliency'])
        if outputs['labels'].numel():
            hits = outputs['logits'].argmax(1) == outputs['labels']
            losses['accuracy_top1'] = hits.float().mean().detach() * 100
        losses.update(self.probe_losses(code.features, data_samples))
        return losses

    def linear_probe_loss(self, inputs, data_samples):
        """Cross-entropy of the linear probe on frozen decoder features (ignore 255)."""
        if self.linear_probe is None:
            raise ValueError('freeze_encoder=True trains only the linear probe: give linear_probe')
        with torch.no_grad():
            features = self.encode(inputs)[1].features
        return self.probe_losses(features, data_samples)

    # ----------------------------------------------------------------------------- prediction
    @property
    def num_clusters(self):
        """Ids of ``pred_sem_seg``: the probe's classes, else 2 (the saliency mask)."""
        return self.linear_probe.num_classes if self.linear_probe is not None else 2

    def supported_test_cfg(self):
        """No flip and no cluster temperature; the CRF refines the linear probe only."""
        return set(CRF_TEST_CFG_KEYS) if self.linear_probe is not None else set()

    def sample_code(self, code, index, sample, input_size):
        """Sample ``index`` of the batch :class:`MaskContrastCode` (still at the input size)."""
        return MaskContrastCode(*(part[index:index + 1] for part in code))

    def predict_sample(self, code_i, sample):
        input_size = code_i.saliency.shape[-2:]
        sample.set_field(saliency_weighted_embedding(code_i.embedding, code_i.saliency,
                                                     SALIENCY_THRESHOLD)[0], 'mask_embedding')
        salient = (code_i.saliency > SALIENCY_THRESHOLD).float()[:, None]
        mask = self.nearest_at_output_size(salient, input_size, sample)[0].long()
        sample.saliency_sem_seg = PixelData(data=mask)
        sample.pred_sem_seg = PixelData(data=mask)
        if self.linear_probe is None:
            return {}
        logits = F.interpolate(self.linear_probe(code_i.features), size=input_size,
                               mode='bilinear', align_corners=False)
        pred = self.nearest_at_output_size(logits.argmax(1, keepdim=True).float(), input_size,
                                           sample)[0].long()
        sample.linear_pred_sem_seg = PixelData(data=pred)
        sample.pred_sem_seg = PixelData(data=pred)
        log_probs = self.code_at_output_size(logits, input_size, sample).log_softmax(1)[0]
        return dict(crf_linear_pred_sem_seg=log_probs)

    def nearest_at_output_size(self, maps, input_size, sample):
        """``maps (1, C, H, W)`` at the padded input size -> unpadded, nearest-resized to the output."""
        img_shape = tuple(sample.metainfo.get('img_shape', input_size))[:2]
        maps = maps[..., :img_shape[0], :img_shape[1]]
        return F.interpolate(maps, size=self.output_size(sample, input_size), mode='nearest')
