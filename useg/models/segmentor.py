"""The model contract every method plugin builds on."""
from collections import defaultdict

import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapperDict
from mmengine.structures import PixelData
from mmseg.models.segmentors import BaseSegmentor

from useg.registry import MODELS

from .utils import feature_channels, with_in_channels

DEFAULT_TEST_CFG = dict(flip=False, alpha=2.0, crf=False, crf_iterations=10, crf_workers=None)


@MODELS.register_module()
class UnsupervisedSegmentor(BaseSegmentor):
    """Frozen backbone -> trainable head -> method loss, plus cluster / linear probes.

    ``inputs (B, 3, H, W)`` -> ``feats (B, C, h, w)`` (backbone, no grad) -> ``code (B, D, h, w)``
    (head; the features themselves when ``head`` is None). The probes read ``code.detach()`` so their
    losses never reach the head. Plugins override :meth:`method_loss` (and, where the method
    differs, :meth:`encode`, :meth:`predict_code` or :meth:`loss`).

    Prediction (``predict``) writes, per sample, at the label's size (``ori_shape`` when there is
    no label): ``pred_sem_seg`` (cluster ids), ``seg_logits`` (cluster log-probabilities),
    ``linear_pred_sem_seg`` (with a linear probe) and, with ``test_cfg.crf``, the dense-CRF
    refined ``crf_pred_sem_seg`` / ``crf_linear_pred_sem_seg``.

    Optimisation: with a dict of optimisers (``optim_wrapper=dict(head=..., cluster_probe=...)``)
    every loss is routed to one optimiser by :meth:`loss_optimizer`; each optimiser gets one
    backward of its losses' sum and one step per iteration.

    Args:
        backbone: backbone config (frozen by the backbone itself).
        num_classes: number of ground-truth classes (the linear probe's outputs).
        head: head config producing the code; None uses the backbone features as code.
        cluster_probe / linear_probe: probe configs (``ClusterProbe`` / ``LinearProbe``) or None.
            An omitted ``in_channels`` (head, probes) is the width of what they read
            (``self.code_channels`` for probes; :mod:`useg.models.utils.infer_channels`).
        train_cfg: ``train_cluster_probe=False`` skips the cluster-probe loss (a method that moves
            the centroids itself, e.g. by EMA).
        test_cfg: ``flip`` (horizontal-flip averaging of the code), ``alpha`` (cluster softmax
            temperature), ``crf`` (also produce CRF-refined predictions), ``crf_iterations``,
            ``crf_workers`` (processes for the CRF; None = all cores).
    """

    def __init__(self, backbone, num_classes, head=None, cluster_probe=None, linear_probe=None,
                 data_preprocessor=None, train_cfg=None, test_cfg=None, init_cfg=None):
        if isinstance(data_preprocessor, dict):  # built here so no default scope is needed
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = MODELS.build(backbone)
        head = with_in_channels(head, feature_channels(self.backbone))  # omitted in_channels
        self.head = MODELS.build(head) if head is not None else None
        self.code_channels = (feature_channels(self.head, head) if head is not None
                              else feature_channels(self.backbone))
        cluster_probe, linear_probe = (with_in_channels(probe, self.code_channels)
                                       for probe in (cluster_probe, linear_probe))
        self.cluster_probe = MODELS.build(cluster_probe) if cluster_probe is not None else None
        self.linear_probe = MODELS.build(linear_probe) if linear_probe is not None else None
        self.num_classes = num_classes
        self.train_cfg = dict(train_cfg or {})
        unknown = set(test_cfg or {}) - set(DEFAULT_TEST_CFG)
        if unknown:
            raise KeyError(f'unknown test_cfg keys {sorted(unknown)}; known: {sorted(DEFAULT_TEST_CFG)}')
        self.test_cfg = {**DEFAULT_TEST_CFG, **(test_cfg or {})}

    # ----------------------------------------------------------------------------- features
    def extract_feat(self, inputs):
        """``inputs (B, 3, H, W)`` -> backbone features ``(B, C, h, w)``."""
        return self.backbone(inputs)

    def encode(self, inputs):
        """``inputs`` -> ``(feats (B, C, h, w), code (B, D, h, w))``."""
        feats = self.extract_feat(inputs)
        code = self.head(feats) if self.head is not None else feats
        return feats, code

    def predict_code(self, inputs):
        """Code used for prediction; flip-averaged when ``test_cfg.flip``."""
        code = self.encode(inputs)[1]
        if self.test_cfg['flip']:
            code = (code + self.encode(inputs.flip(-1))[1].flip(-1)) / 2
        return code

    def _forward(self, inputs, data_samples=None):
        return self.encode(inputs)[1]

    def encode_decode(self, inputs, batch_img_metas=None):
        """Cluster log-probabilities ``(B, K, H, W)`` at the input size."""
        code = F.interpolate(self.predict_code(inputs), size=inputs.shape[-2:], mode='bilinear',
                             align_corners=False)
        return self.cluster_probe.log_probs(code, self.test_cfg['alpha'])

    # ----------------------------------------------------------------------------- training
    def method_loss(self, feats, code, data_samples):
        """The method's own loss terms (dict of ``loss_*`` tensors and logged extras)."""
        return {}

    def probe_losses(self, code, data_samples):
        """Cluster-probe and linear-probe losses on the detached code."""
        code = code.detach()
        losses = {}
        if self.cluster_probe is not None and self.train_cfg.get('train_cluster_probe', True):
            losses['loss_cluster'] = self.cluster_probe(code)[0]
        if self.linear_probe is not None and all('gt_sem_seg' in s for s in data_samples):
            labels = torch.stack([s.gt_sem_seg.data[0] for s in data_samples])
            losses['loss_linear'] = self.linear_probe.loss(self.linear_probe(code), labels)
        return losses

    def loss(self, inputs, data_samples):
        feats, code = self.encode(inputs)
        losses = self.method_loss(feats, code, data_samples)
        losses.update(self.probe_losses(code, data_samples))
        return losses

    def loss_optimizer(self, key):
        """Name of the optimiser (model attribute) that a loss key trains."""
        if key.startswith('loss_cluster'):
            return 'cluster_probe'
        if key.startswith('loss_linear'):
            return 'linear_probe'
        return 'head'

    def train_step(self, data, optim_wrapper):
        if not isinstance(optim_wrapper, OptimWrapperDict):
            return super().train_step(data, optim_wrapper)
        with next(iter(optim_wrapper.values())).optim_context(self):
            data = self.data_preprocessor(data, True)
            losses = self._run_forward(data, mode='loss')
        groups = defaultdict(dict)
        for key, value in losses.items():
            if 'loss' in key:
                groups[self.loss_optimizer(key)][key] = value
        for name, group in groups.items():
            if name not in optim_wrapper:
                raise KeyError(f'losses {sorted(group)} train {name!r}, but optim_wrapper has no '
                               f'{name!r} entry (has: {sorted(optim_wrapper.keys())})')
            optim_wrapper[name].update_params(self.parse_losses(group)[0])
        return self.parse_losses({k: v.detach() if torch.is_tensor(v) else v
                                  for k, v in losses.items()})[1]

    # ----------------------------------------------------------------------------- prediction
    def predict(self, inputs, data_samples=None):
        if data_samples is None:
            data_samples = [self._sample_without_meta(inputs) for _ in range(len(inputs))]
        code = self.predict_code(inputs)
        images = self._unnormalised_images(inputs) if self.test_cfg['crf'] else None
        crf_inputs = defaultdict(list)
        for index, sample in enumerate(data_samples):
            code_i = self._code_at_output_size(code[index:index + 1], inputs.shape[-2:], sample)
            size = code_i.shape[-2:]
            if self.cluster_probe is not None:
                log_probs = self.cluster_probe.log_probs(code_i, self.test_cfg['alpha'])[0]
                sample.seg_logits = PixelData(data=log_probs)
                sample.pred_sem_seg = PixelData(data=log_probs.argmax(0, keepdim=True))
                crf_inputs['crf_pred_sem_seg'].append(log_probs)
            if self.linear_probe is not None:
                log_probs = torch.log_softmax(self.linear_probe(code_i), dim=1)[0]
                sample.linear_pred_sem_seg = PixelData(data=log_probs.argmax(0, keepdim=True))
                crf_inputs['crf_linear_pred_sem_seg'].append(log_probs)
            if images is not None:
                crf_inputs['images'].append(self._image_at_output_size(images[index], sample, size))
        if images is not None:
            self._apply_crf(data_samples, crf_inputs)
        return data_samples

    @staticmethod
    def _sample_without_meta(inputs):
        from mmseg.structures import SegDataSample
        sample = SegDataSample()
        sample.set_metainfo(dict(img_shape=tuple(inputs.shape[-2:]), ori_shape=tuple(inputs.shape[-2:])))
        return sample

    @staticmethod
    def output_size(sample, input_size):
        """The label's size when the sample has one, else ``ori_shape`` (else the input size)."""
        if 'gt_sem_seg' in sample:
            return tuple(sample.gt_sem_seg.shape)
        return tuple(sample.metainfo.get('ori_shape', input_size))[:2]

    def _code_at_output_size(self, code, input_size, sample):
        """``code (1, D, h, w)`` of the padded input -> ``(1, D, H, W)`` at the output size."""
        img_shape = tuple(sample.metainfo.get('img_shape', input_size))[:2]
        size = self.output_size(sample, input_size)
        if img_shape != tuple(input_size):  # remove batch padding first
            code = F.interpolate(code, size=input_size, mode='bilinear', align_corners=False)
            code = code[..., :img_shape[0], :img_shape[1]]
        return F.interpolate(code, size=size, mode='bilinear', align_corners=False)

    def _unnormalised_images(self, inputs):
        """``(B, 3, H, W)`` normalised RGB -> ``(B, H, W, 3)`` uint8 (truncated, as the references)."""
        preprocessor = self.data_preprocessor
        images = inputs * preprocessor.std + preprocessor.mean if preprocessor._enable_normalize \
            else inputs
        return images.clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1).cpu().numpy()

    def _image_at_output_size(self, image, sample, size):
        img_shape = tuple(sample.metainfo.get('img_shape', image.shape[:2]))[:2]
        image = image[:img_shape[0], :img_shape[1]]
        if image.shape[:2] != tuple(size):
            tensor = torch.from_numpy(image).permute(2, 0, 1)[None].float()
            image = F.interpolate(tensor, size=size, mode='bilinear', align_corners=False)[0] \
                .round().clamp(0, 255).to(torch.uint8).permute(1, 2, 0).numpy()
        return image

    def _apply_crf(self, data_samples, crf_inputs):
        from useg.postprocess import dense_crf_batch
        for key in ('crf_pred_sem_seg', 'crf_linear_pred_sem_seg'):
            if not crf_inputs[key]:
                continue
            probs = dense_crf_batch(crf_inputs['images'], [lp.float().cpu().numpy() for lp in crf_inputs[key]],
                                    iterations=self.test_cfg['crf_iterations'],
                                    num_workers=self.test_cfg['crf_workers'])
            for sample, prob in zip(data_samples, probs):
                labels = torch.from_numpy(prob.argmax(0)).long()[None]
                sample.set_field(PixelData(data=labels), key)
