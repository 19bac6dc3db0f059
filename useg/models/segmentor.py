"""The model contract every method plugin builds on."""
from collections import defaultdict

import torch
import torch.nn.functional as F
from mmengine.optim import OptimWrapperDict
from mmengine.structures import PixelData
from mmseg.models.segmentors import BaseSegmentor

from useg.registry import MODELS
from useg.utils import UsegError

from .data_preprocessor import is_padded, unpadded_batches
from .utils import (as_float32, backbone_autocast, backbone_autocast_dtype, feature_channels,
                    with_in_channels)

DEFAULT_TEST_CFG = dict(flip=False, alpha=2.0, crf=False, crf_iterations=10, crf_workers=None,
                        crf_backend='auto')
CRF_TEST_CFG_KEYS = frozenset({'crf', 'crf_iterations', 'crf_workers', 'crf_backend'})


def unnormalised_images(inputs, preprocessor):
    """``(B, 3, H, W)`` RGB normalised by ``preprocessor`` -> ``(B, H, W, 3)`` uint8 numpy
    (truncated, as the references): the images the CRF sees."""
    images = inputs * preprocessor.std + preprocessor.mean if preprocessor._enable_normalize \
        else inputs
    return images.clamp(0, 255).to(torch.uint8).permute(0, 2, 3, 1).cpu().numpy()


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
    refined ``crf_pred_sem_seg`` / ``crf_linear_pred_sem_seg``. Plugins add fields through the
    public hooks :meth:`sample_code`, :meth:`predict_sample` and :meth:`extra_predictions`; the
    backbone runs only in :meth:`predict_code`.

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
            ``crf_workers`` (processes for the CRF; None = the CPUs this process may use),
            ``crf_backend`` ('auto' | 'torch' | 'pydensecrf', see
            ``useg.postprocess.refine_with_crf``). Unknown keys, and
            keys a method ignores (see :meth:`supported_test_cfg`) set to a non-default value,
            raise :class:`UsegError`.
        backbone_precision: ``'fp32'`` (default, plain fp32) | ``'bf16'`` | ``'fp16'`` |
            ``'auto'`` (bf16 on CUDA with bf16 and on CPUs with AMX / avx512_bf16, else fp32):
            every frozen backbone pass (:meth:`frozen_pass`: :meth:`extract_feat` and the
            plugins' other passes) runs under ``torch.autocast`` with that dtype and returns
            float32 features. The backbone module called directly stays fp32.
    """

    def __init__(self, backbone, num_classes, head=None, cluster_probe=None, linear_probe=None,
                 data_preprocessor=None, train_cfg=None, test_cfg=None, init_cfg=None,
                 backbone_precision='fp32'):
        if isinstance(data_preprocessor, dict):  # built here so no default scope is needed
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        backbone_autocast_dtype(backbone_precision, 'cpu')  # rejects unknown values
        self.backbone_precision = backbone_precision
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
            raise UsegError(f'unknown model.test_cfg keys {sorted(unknown)}; known: '
                            f'{sorted(DEFAULT_TEST_CFG)}')
        self.test_cfg = {**DEFAULT_TEST_CFG, **(test_cfg or {})}

    # ----------------------------------------------------------------------------- features
    def frozen_pass(self, forward, inputs, backbone=None):
        """``forward(inputs)`` (a pass of ``backbone``, default :attr:`backbone`) under the
        autocast of ``backbone_precision``, floating outputs back in float32.

        A pass that trains the backbone (gradients on and trainable backbone parameters) runs as
        called: its precision is the trainer's (``--amp``). With ``'fp32'`` nothing changes.
        """
        backbone = self.backbone if backbone is None else backbone
        if backbone_autocast_dtype(self.backbone_precision, inputs.device) is None or (
                torch.is_grad_enabled() and any(p.requires_grad for p in backbone.parameters())):
            return forward(inputs)
        with backbone_autocast(self.backbone_precision, inputs.device):
            output = forward(inputs)
        return as_float32(output)

    def extract_feat(self, inputs):
        """``inputs (B, 3, H, W)`` -> backbone features ``(B, C, h, w)`` (float32), the frozen
        pass of :meth:`frozen_pass`."""
        return self.frozen_pass(self.backbone, inputs)

    def encode(self, inputs):
        """``inputs`` -> ``(feats (B, C, h, w), code (B, D, h, w))``."""
        feats = self.extract_feat(inputs)
        code = self.head(feats) if self.head is not None else feats
        return feats, code

    def predict_code(self, inputs):
        """Code used for prediction; flip-averaged when ``test_cfg.flip``. The only backbone
        passes of :meth:`predict`: one per view."""
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
        return self.cluster_predictor.log_probs(code, self.test_cfg['alpha'])

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
        losses.update(self.linear_loss(code, data_samples))
        return losses

    def linear_loss(self, code, data_samples):
        """``{'loss_linear'}`` of the linear probe on ``code (B, D, h, w)`` against the ground
        truth; ``{}`` without a linear probe or when a sample has no ``gt_sem_seg``."""
        if self.linear_probe is None or not all('gt_sem_seg' in s for s in data_samples):
            return {}
        labels = torch.stack([s.gt_sem_seg.data[0] for s in data_samples])
        return dict(loss_linear=self.linear_probe.loss(self.linear_probe(code), labels))

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
        self.check_test_cfg()  # fail before training, not at the first validation
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
    @property
    def cluster_predictor(self):
        """The module whose ``log_probs(code, alpha)`` gives ``pred_sem_seg`` (None: no cluster
        prediction). The cluster probe here; a method with an EMA teacher returns its teacher."""
        return self.cluster_probe

    @property
    def num_clusters(self):
        """Number of ids ``pred_sem_seg`` can hold (what inference colours and names)."""
        if self.cluster_predictor is not None:
            return self.cluster_predictor.num_clusters
        if self.linear_probe is not None:
            return self.linear_probe.num_classes
        raise UsegError(f'{type(self).__name__} has neither a cluster predictor nor a linear '
                        'probe: it predicts no segment ids (add cluster_probe to model)')

    def supported_test_cfg(self):
        """``test_cfg`` keys this model honours; others must keep their defaults (else an error).

        Without any probe there is nothing for the dense CRF to refine."""
        keys = set(DEFAULT_TEST_CFG)
        if self.cluster_predictor is None and self.linear_probe is None:
            keys -= CRF_TEST_CFG_KEYS
        return keys

    def check_test_cfg(self):
        """Raise a one-line :class:`UsegError` for ``test_cfg`` settings this method ignores."""
        ignored = sorted(key for key in set(DEFAULT_TEST_CFG) - self.supported_test_cfg()
                         if self.test_cfg[key] != DEFAULT_TEST_CFG[key])
        if ignored:
            settings = ', '.join(f'{key}={self.test_cfg[key]!r}' for key in ignored)
            raise UsegError(f'{type(self).__name__} does not support test_cfg {settings} (no such '
                            f'path in its prediction): remove it from model.test_cfg')

    def predict(self, inputs, data_samples=None):
        """Per-sample predictions at the output size (see the class docstring).

        The backbone runs only in :meth:`predict_code` (once per view: 1, or 2 with ``flip``).
        Then, per sample, :meth:`sample_code` -> :meth:`predict_sample` (which returns the CRF
        unaries), then :meth:`extra_predictions` on the whole batch, then the dense CRF. A batch
        padded from images of different sizes is predicted image by image, each unpadded.
        """
        self.check_test_cfg()
        if data_samples is None:
            data_samples = [self.sample_without_meta(inputs) for _ in range(len(inputs))]
        if is_padded(inputs, data_samples):  # images of different sizes: each at its own size
            for image, samples in unpadded_batches(inputs, data_samples):
                self.predict(image, samples)
            return data_samples
        input_size = tuple(inputs.shape[-2:])
        code = self.predict_code(inputs)
        images = self.unnormalised_images(inputs) if self.test_cfg['crf'] else None
        crf_inputs = defaultdict(list)
        for index, sample in enumerate(data_samples):
            sample.set_metainfo(dict(predicted_by=type(self).__name__))  # named by the collapse check
            unaries = self.predict_sample(self.sample_code(code, index, sample, input_size), sample)
            if images is not None and unaries:
                size = next(iter(unaries.values())).shape[-2:]
                crf_inputs['images'].append(self.image_at_output_size(images[index], sample, size))
                for key, log_probs in unaries.items():
                    crf_inputs[key].append(log_probs)
        self.extra_predictions(code, data_samples, input_size)
        if crf_inputs:
            self.apply_crf(data_samples, crf_inputs)
        return data_samples

    def sample_code(self, code, index, sample, input_size):
        """Sample ``index`` of the batch ``code`` -> ``(1, D, H, W)`` at its output size."""
        return self.code_at_output_size(code[index:index + 1], input_size, sample)

    def predict_sample(self, code_i, sample):
        """Write one sample's predictions from ``code_i`` (from :meth:`sample_code`).

        Core fields: ``seg_logits`` / ``pred_sem_seg`` from :attr:`cluster_predictor` and
        ``linear_pred_sem_seg`` from the linear probe. Returns ``{crf field: log-probabilities
        (K, H, W)}`` for the dense CRF (used only with ``test_cfg.crf``). Plugins extend it (call
        ``super()`` and add their fields) instead of re-running the backbone.
        """
        unaries = {}
        if self.cluster_predictor is not None:
            log_probs = self.cluster_predictor.log_probs(code_i, self.test_cfg['alpha'])[0]
            sample.seg_logits = PixelData(data=log_probs)
            sample.pred_sem_seg = PixelData(data=log_probs.argmax(0, keepdim=True))
            unaries['crf_pred_sem_seg'] = log_probs
        if self.linear_probe is not None:
            log_probs = torch.log_softmax(self.linear_probe(code_i), dim=1)[0]
            sample.linear_pred_sem_seg = PixelData(data=log_probs.argmax(0, keepdim=True))
            unaries['crf_linear_pred_sem_seg'] = log_probs
        return unaries

    def extra_predictions(self, code, data_samples, input_size):
        """Batch-level predictions from the batch ``code`` of :meth:`predict_code` (e.g. a
        retrieval over per-image segments at the input size); nothing here."""

    @staticmethod
    def sample_without_meta(inputs):
        """A ``SegDataSample`` whose ``img_shape`` and ``ori_shape`` are the input size."""
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

    def code_at_output_size(self, code, input_size, sample):
        """``code (1, D, h, w)`` of the padded input -> ``(1, D, H, W)`` at the output size
        (bilinear; the batch padding is removed first)."""
        img_shape = tuple(sample.metainfo.get('img_shape', input_size))[:2]
        size = self.output_size(sample, input_size)
        if img_shape != tuple(input_size):  # remove batch padding first
            code = F.interpolate(code, size=input_size, mode='bilinear', align_corners=False)
            code = code[..., :img_shape[0], :img_shape[1]]
        return F.interpolate(code, size=size, mode='bilinear', align_corners=False)

    def unnormalised_images(self, inputs):
        """:func:`unnormalised_images` with the model's data preprocessor."""
        return unnormalised_images(inputs, self.data_preprocessor)

    @staticmethod
    def image_at_output_size(image, sample, size):
        """``image (H, W, 3)`` uint8 of the padded input -> unpadded, bilinearly resized to
        ``size`` (rounded, uint8)."""
        img_shape = tuple(sample.metainfo.get('img_shape', image.shape[:2]))[:2]
        image = image[:img_shape[0], :img_shape[1]]
        if image.shape[:2] != tuple(size):
            tensor = torch.from_numpy(image).permute(2, 0, 1)[None].float()
            image = F.interpolate(tensor, size=size, mode='bilinear', align_corners=False)[0] \
                .round().clamp(0, 255).to(torch.uint8).permute(1, 2, 0).numpy()
        return image

    def apply_crf(self, data_samples, crf_inputs):
        """Dense CRF of every unary list in ``crf_inputs`` (``images`` + ``{field: [(K, H, W)]}``);
        writes the argmax as ``field`` of each sample."""
        from useg.postprocess import refine_with_crf
        for key, unaries in crf_inputs.items():
            if key == 'images':
                continue
            probs = refine_with_crf(crf_inputs['images'], unaries, iterations=self.test_cfg['crf_iterations'],
                                    backend=self.test_cfg['crf_backend'],
                                    num_workers=self.test_cfg['crf_workers'])
            for sample, prob in zip(data_samples, probs):
                labels = torch.from_numpy(prob.argmax(0)).long()[None]
                sample.set_field(PixelData(data=labels), key)
