"""HSG: a ResNet FCN trained from scratch with multi-view SegSort+ losses over a hierarchy of
segment groupings (Ke et al., CVPR 2022)."""
import contextlib

import torch
import torch.nn.functional as F
from mmengine.structures import PixelData
from torch import nn

from useg.models.segmentor import CRF_TEST_CFG_KEYS, UnsupervisedSegmentor
from useg.registry import MODELS
from .distributed import gather_rows, rank_offset
from .resnet_layout import resnet_layout
from .segment_retrieval import retrieve_labels, segment_embedding_map
from .segments import REGION_IGNORE, extract_segments
from .spherical_kmeans import normalize

DEFAULT_LOSS_WEIGHTS = dict(region=1.0, fine=0.1, coarse=0.1, dmon=1.0, centroid=1.0)
DEFAULT_RETRIEVAL = dict(grid=(6, 6), top_k=20)


@MODELS.register_module()
class HSGSegmentor(UnsupervisedSegmentor):
    """Trainable ResNet + embedding head, with HSG's losses; probes on the detached embeddings.

    Training batches hold ``V`` views per image, adjacent (``v0, v1, v0, v1, ...``, see
    :class:`MultiViewSegDataPreProcessor`), each with its region map in ``pseudo_sem_seg``
    (255 = padding). Per step: spherical k-means per view, segments = cluster x region, then

    * ``loss_region``: SegSort+ with positives from the same region of either view;
    * with ``grouping`` (stage 2): ``loss_fine`` / ``loss_coarse`` (positives from the same fine /
      coarse group), ``loss_dmon`` + ``loss_collapse`` (both levels) and ``loss_centroid``.

    Prediction: the cluster probe (``pred_sem_seg``, the Hungarian protocol shared with the other
    plugins) and, once :meth:`set_memory_bank` was called, ``retrieval_pred_sem_seg`` (HSG's top-k
    retrieval of labelled training segments, in :meth:`extra_predictions` from the same code: one
    encoder pass per view). No dense CRF (``test_cfg.crf=True`` is an error).

    Args:
        backbone: trainable ResNet config (``TorchvisionResNet``, OS16 training layout).
        head: ``HSGEmbeddingHead`` config.
        num_classes: ground-truth classes.
        kmeans: ``SphericalKMeans`` config for training (stage 1: 1x1 / 1 it., stage 2: 4x4 / 15).
        segsort_loss: ``SegSortLoss`` config (concentration 16).
        grouping: ``HierarchicalGrouping`` config, or None (stage 1).
        dmon_loss: ``DMoNLoss`` config (needed with ``grouping``).
        loss_weights: ``region``, ``fine``, ``coarse``, ``dmon`` (modularity and collapse) and
            ``centroid`` weights.
        views_per_image: V (2).
        retrieval: ``grid`` (inference k-means grid) and ``top_k`` neighbours.
        test_layout: ``dict(strides=..., dilations=...)`` of the backbone at test time (HSG:
            OS8, see :mod:`.resnet_layout`), or None to keep the training layout.
        backbone_precision: see :class:`UnsupervisedSegmentor`; the backbone is trained, so it
            applies to its passes without gradients (validation, test, infer, retrieval bank).
    """

    def __init__(self, backbone, head, num_classes, kmeans, segsort_loss=None, grouping=None,
                 dmon_loss=None, loss_weights=None, views_per_image=2, retrieval=None,
                 test_layout=None, cluster_probe=None, linear_probe=None, data_preprocessor=None,
                 train_cfg=None, test_cfg=None, init_cfg=None, backbone_precision='fp32'):
        super().__init__(backbone=backbone, num_classes=num_classes, head=head,
                         cluster_probe=cluster_probe, linear_probe=linear_probe,
                         data_preprocessor=data_preprocessor, train_cfg=train_cfg,
                         test_cfg=test_cfg, init_cfg=init_cfg,
                         backbone_precision=backbone_precision)
        self.kmeans = MODELS.build(kmeans)
        self.segsort_loss = MODELS.build(segsort_loss or dict(type='SegSortLoss',
                                                              concentration=16))
        self.grouping = MODELS.build(grouping) if grouping is not None else None
        if self.grouping is not None and dmon_loss is None:
            raise ValueError('grouping needs a dmon_loss config')
        self.dmon_loss = MODELS.build(dmon_loss) if self.grouping is not None else None
        unknown = set(loss_weights or {}) - set(DEFAULT_LOSS_WEIGHTS)
        if unknown:
            raise KeyError(f'unknown loss_weights {sorted(unknown)}; known: '
                           f'{sorted(DEFAULT_LOSS_WEIGHTS)}')
        self.loss_weights = {**DEFAULT_LOSS_WEIGHTS, **(loss_weights or {})}
        self.views_per_image = views_per_image
        self.retrieval = {**DEFAULT_RETRIEVAL, **(retrieval or {})}
        self.retrieval_kmeans = MODELS.build(dict(type='SphericalKMeans',
                                                  iterations=self.kmeans.iterations,
                                                  grid=self.retrieval['grid']))
        self.test_layout = test_layout
        self.memory_bank = None

    @property
    def embedding_network(self):
        """Everything HSG's SGD trains (backbone, head, grouping), for the optimiser dict."""
        parts = dict(backbone=self.backbone, head=self.head)
        if self.grouping is not None:
            parts['grouping'] = self.grouping
        return nn.ModuleDict(parts)

    def loss_optimizer(self, key):
        name = super().loss_optimizer(key)
        return 'embedding_network' if name == 'head' else name

    # ----------------------------------------------------------------------------- training
    def _feature_regions(self, data_samples, size):
        """Region maps of the views nearest-subsampled to the feature grid ``(B, h, w)``."""
        if not all('pseudo_sem_seg' in sample for sample in data_samples):
            raise KeyError('HSG trains on region maps: every sample needs pseudo_sem_seg (load '
                           'them with LoadRegionMap or LoadPseudoLabel before MultiView)')
        regions = torch.stack([sample.pseudo_sem_seg.data[0] for sample in data_samples])
        return F.interpolate(regions[:, None].float(), size=size, mode='nearest')[:, 0].long()

    def method_loss(self, feats, code, data_samples):
        batch, _, height, width = code.shape
        if batch % self.views_per_image:
            raise ValueError(f'{batch} views is not a multiple of {self.views_per_image} views per '
                             'image: train with MultiView + MultiViewSegDataPreProcessor')
        regions = self._feature_regions(data_samples, (height, width)).to(code.device)
        clusters = self.kmeans.segment_views(code, regions != REGION_IGNORE)
        positions = None if self.grouping is None else self.grouping.position_embedding(height,
                                                                                       width)
        segments = extract_segments(code, clusters, regions, self.views_per_image, positions)
        num_images = batch // self.views_per_image
        image = segments.segment_image + rank_offset(num_images, code.device)
        prototypes, segment_offset = gather_rows(segments.prototypes)
        pixel_segment = segments.pixel_segment + segment_offset
        prototype_ids = torch.arange(prototypes.shape[0], device=code.device)

        def segsort(local_groups):
            groups, _ = gather_rows(local_groups)
            return self.segsort_loss(segments.pixel_embeddings, pixel_segment, prototypes,
                                     prototype_ids, groups[pixel_segment], groups)

        weights = self.loss_weights
        losses = dict(loss_region=weights['region'] * segsort(
            image * (REGION_IGNORE + 1) + segments.segment_region))
        if self.grouping is None:
            return losses
        groups = self.grouping(segments, num_images, self.views_per_image)
        losses['loss_fine'] = weights['fine'] * segsort(
            image * self.grouping.fine_clusters + groups['segment_fine'])
        losses['loss_coarse'] = weights['coarse'] * segsort(
            image * self.grouping.coarse_clusters + groups['segment_coarse'])
        modularity, collapse = zip(*[
            self.dmon_loss(groups[key], groups['tokens'], groups['padding_mask'],
                           groups['view_ids']) for key in ('fine_probs', 'coarse_probs')])
        losses['loss_dmon'] = weights['dmon'] * sum(modularity)
        losses['loss_collapse'] = weights['dmon'] * sum(collapse)
        losses['loss_centroid'] = weights['centroid'] * sum(
            self._centroid_contrast(groups[key]) for key in ('fine_centroids', 'coarse_centroids'))
        return losses

    def _centroid_contrast(self, centroids):
        """Instance discrimination of the unit centroids ``(I, C, K)`` of the global batch."""
        local = normalize(centroids.transpose(1, 2).reshape(-1, centroids.shape[1]))
        everything, offset = gather_rows(local)
        ids = torch.arange(everything.shape[0], device=local.device)
        return self.segsort_loss(local, ids[offset:offset + local.shape[0]], everything, ids)

    # ----------------------------------------------------------------------------- prediction
    def _test_layout(self):
        if self.test_layout is None or self.training:
            return contextlib.nullcontext()
        return resnet_layout(self.backbone, **self.test_layout)

    def predict_code(self, inputs):
        with self._test_layout():
            return super().predict_code(inputs)

    def set_memory_bank(self, prototypes, labels):
        """Labelled training segments for retrieval: unit prototypes ``(M, D)``, classes
        ``(M,)``."""
        if prototypes.shape[0] != labels.shape[0]:
            raise ValueError(f'{prototypes.shape[0]} prototypes but {labels.shape[0]} labels')
        self.memory_bank = (prototypes, labels.long())

    def supported_test_cfg(self):
        """HSG's prediction has no CRF path (its evaluators read no CRF field)."""
        return super().supported_test_cfg() - CRF_TEST_CFG_KEYS

    def image_segments(self, inputs, data_samples):
        """Per-image k-means segments at the input size (padding excluded), see
        :meth:`code_segments`; runs the encoder (:meth:`predict_code`)."""
        return self.code_segments(self.predict_code(inputs), inputs.shape[-2:], data_samples)

    def code_segments(self, code, input_size, data_samples):
        """Segments of a batch ``code (B, D, h, w)`` of inputs of ``input_size``.

        Returns:
            list[tuple]: ``(segment ids (H, W), unit prototypes (S, D))`` per image.
        """
        code = F.interpolate(code, size=input_size, mode='bilinear', align_corners=False)
        results = []
        for embedding, sample in zip(code, data_samples):
            valid = torch.zeros(input_size, dtype=torch.bool, device=code.device)
            height, width = tuple(sample.metainfo.get('img_shape', input_size))[:2]
            valid[:height, :width] = True
            results.append(segment_embedding_map(self.retrieval_kmeans, embedding, valid))
        return results

    def extra_predictions(self, code, data_samples, input_size):
        """``retrieval_pred_sem_seg`` once :meth:`set_memory_bank` was called: each image's
        segments (from the prediction code) take :func:`retrieve_labels` of their prototypes."""
        if self.memory_bank is None:
            return
        bank_prototypes, bank_labels = (t.to(code.device) for t in self.memory_bank)
        for sample, (segment_map, prototypes) in zip(
                data_samples, self.code_segments(code, input_size, data_samples)):
            labels = retrieve_labels(prototypes, bank_prototypes, bank_labels, self.num_classes,
                                     self.retrieval['top_k'])
            height, width = tuple(sample.metainfo.get('img_shape', input_size))[:2]
            painted = labels[segment_map[:height, :width].clamp(min=0)]
            size = self.output_size(sample, input_size)
            painted = F.interpolate(painted[None, None].float(), size=size, mode='nearest')[0]
            sample.retrieval_pred_sem_seg = PixelData(data=painted.long())
