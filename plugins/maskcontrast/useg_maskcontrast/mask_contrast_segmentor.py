"""MaskContrast: a query encoder trained against a momentum key encoder and a prototype queue."""
import copy
from collections import defaultdict

import torch
import torch.nn.functional as F
from mmengine.structures import PixelData

from useg.models import UnsupervisedSegmentor
from useg.registry import MODELS

from .batch_shuffle import shuffled_forward
from .mask_embedding import saliency_weighted_embedding
from .prototype_queue import PrototypeQueue

SALIENCY_THRESHOLD = 0.5


@MODELS.register_module()
class MaskContrastSegmentor(UnsupervisedSegmentor):
    """Dilated ResNet + :class:`MaskContrastHead` (query encoder), its EMA copy (key encoder) and a
    :class:`PrototypeQueue`; the backbone is trained, not frozen.

    Training (pretraining stage, ``freeze_encoder=False``): the query view ``inputs (B, 3, H, W)``
    with its saliency ``data_sample.pseudo_sem_seg`` and the key view ``data_sample.key_img`` with
    ``data_sample.key_pseudo_sem_seg`` (see ``MaskContrastViews`` / ``PackMaskContrastInputs``) give
    ``loss_contrastive`` + ``loss_saliency`` (:class:`MaskContrastLoss`, outputs upsampled to the
    input size first); the key prototypes are then enqueued. The key encoder is updated by
    :meth:`momentum_update`, which ``MomentumEncoderHook`` calls before every step.

    Linear-probe stage (``freeze_encoder=True``): the whole encoder stays in eval mode without
    gradients and only ``linear_probe`` (1x1 conv on the 256-d decoder features) trains on
    ``gt_sem_seg``.

    Prediction writes per sample, at the label's size: ``saliency_sem_seg`` (0/1, logit > 0.5,
    nearest-resized from the input size), ``mask_embedding`` ``(D,)`` (the logit-weighted pooled
    embedding the K-means and retrieval metrics use), ``linear_pred_sem_seg`` with a linear probe
    (and ``crf_linear_pred_sem_seg`` with ``test_cfg.crf``), ``pred_sem_seg`` = the linear
    prediction when there is a probe, else the saliency mask.

    Args:
        backbone / head: query encoder configs (``MaskContrastHead`` for ``head``).
        loss: ``MaskContrastLoss`` config.
        queue_size: K (a multiple of the global batch).
        momentum: EMA momentum of the key encoder.
        linear_probe: ``LinearProbe`` config on the decoder features, or None.
        freeze_encoder: linear-probe stage.
    """

    def __init__(self, backbone, head, num_classes=21,
                 loss=dict(type='MaskContrastLoss', temperature=0.5, saliency_weight=1.0),
                 queue_size=256, momentum=0.999, linear_probe=None, freeze_encoder=False,
                 data_preprocessor=None, train_cfg=None, test_cfg=None, init_cfg=None):
        super().__init__(backbone=backbone, num_classes=num_classes, head=head,
                         linear_probe=linear_probe, data_preprocessor=data_preprocessor,
                         train_cfg=train_cfg, test_cfg=test_cfg, init_cfg=init_cfg)
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

    @torch.no_grad()
    def momentum_update(self):
        """``key = key * m + query * (1 - m)`` for every parameter (buffers are not averaged)."""
        for query, key in zip(self.query_parameters(), self.key_parameters()):
            key.copy_(key * self.momentum + query.detach() * (1. - self.momentum))

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
        """``inputs (B, 3, H, W)`` -> last backbone level ``(B, 2048, H/8, W/8)``."""
        return self._last_level(self.backbone(inputs))

    def encode(self, inputs):
        """``inputs`` -> ``(features (B, 256, h, w), (embedding (B, D, H, W), saliency logits
        (B, H, W)))``, the two heads bilinearly upsampled to the input size."""
        features, embedding, saliency = self.head(self.extract_feat(inputs))
        size = inputs.shape[-2:]
        embedding = F.interpolate(embedding, size=size, mode='bilinear', align_corners=False)
        saliency = F.interpolate(saliency[:, None], size=size, mode='bilinear',
                                 align_corners=False)[:, 0]
        return features, (embedding, saliency)

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
        if preprocessor._enable_normalize:
            keys = (keys - preprocessor.mean) / preprocessor.std
        return keys

    @staticmethod
    def _masks(data_samples, field, device):
        return torch.stack([sample.get(field).data[0] for sample in data_samples]).to(device) == 1

    # ----------------------------------------------------------------------------- training
    def loss(self, inputs, data_samples):
        if self.freeze_encoder:
            return self.linear_probe_loss(inputs, data_samples)
        features, (embedding, saliency) = self.encode(inputs)
        key_inputs = self._key_inputs(data_samples, inputs.device)
        with torch.no_grad():
            key_embedding = shuffled_forward(self._key_embedding, key_inputs)
        outputs = self.loss_module(embedding, saliency, key_embedding,
                                   self._masks(data_samples, 'pseudo_sem_seg', inputs.device),
                                   self._masks(data_samples, 'key_pseudo_sem_seg', inputs.device),
                                   self.queue.queue.clone())
        self.queue.enqueue(outputs['key_prototypes'])
        losses = dict(loss_contrastive=outputs['loss_contrastive'],
                      loss_saliency=outputs['loss_saliency'])
        if outputs['labels'].numel():
            hits = outputs['logits'].argmax(1) == outputs['labels']
            losses['accuracy_top1'] = hits.float().mean().detach() * 100
        losses.update(self.probe_losses(features, data_samples))
        return losses

    def linear_probe_loss(self, inputs, data_samples):
        """Cross-entropy of the linear probe on frozen decoder features (ignore 255)."""
        if self.linear_probe is None:
            raise ValueError('freeze_encoder=True trains only the linear probe: give linear_probe')
        with torch.no_grad():
            features = self.encode(inputs)[0]
        return self.probe_losses(features, data_samples)

    # ----------------------------------------------------------------------------- prediction
    def predict(self, inputs, data_samples=None):
        if data_samples is None:
            data_samples = [self._sample_without_meta(inputs) for _ in range(len(inputs))]
        features, (embedding, saliency) = self.encode(inputs)
        vectors = saliency_weighted_embedding(embedding, saliency, SALIENCY_THRESHOLD)
        salient = (saliency > SALIENCY_THRESHOLD).float()[:, None]
        logits = None
        if self.linear_probe is not None:
            logits = F.interpolate(self.linear_probe(features), size=inputs.shape[-2:],
                                   mode='bilinear', align_corners=False)
        images = self._unnormalised_images(inputs) if self.test_cfg['crf'] and logits is not None \
            else None
        crf_inputs = defaultdict(list)
        for index, sample in enumerate(data_samples):
            mask = self._nearest_at_output_size(salient[index:index + 1], inputs.shape[-2:], sample)
            sample.saliency_sem_seg = PixelData(data=mask[0].long())
            sample.set_field(vectors[index], 'mask_embedding')
            sample.pred_sem_seg = PixelData(data=mask[0].long())
            if logits is not None:
                pred = logits[index:index + 1].argmax(1, keepdim=True).float()
                pred = self._nearest_at_output_size(pred, inputs.shape[-2:], sample)[0].long()
                sample.linear_pred_sem_seg = PixelData(data=pred)
                sample.pred_sem_seg = PixelData(data=pred)
            if images is not None:
                log_probs = self._code_at_output_size(logits[index:index + 1], inputs.shape[-2:],
                                                      sample).log_softmax(1)[0]
                crf_inputs['crf_linear_pred_sem_seg'].append(log_probs)
                crf_inputs['images'].append(
                    self._image_at_output_size(images[index], sample, log_probs.shape[-2:]))
        if images is not None:
            self._apply_crf(data_samples, crf_inputs)
        return data_samples

    def _nearest_at_output_size(self, maps, input_size, sample):
        """``maps (1, C, H, W)`` at the padded input size -> unpadded, nearest-resized to the output."""
        img_shape = tuple(sample.metainfo.get('img_shape', input_size))[:2]
        maps = maps[..., :img_shape[0], :img_shape[1]]
        return F.interpolate(maps, size=self.output_size(sample, input_size), mode='nearest')
