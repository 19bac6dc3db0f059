"""MaskContrast (Van Gansbeke et al., ICCV 2021) for useg."""
import useg  # noqa: F401  (installs the mmcv.ops stand-in before any mmseg import)

from .balanced_bce import balanced_bce_with_logits
from .deeplab_v3_decoder import DeepLabV3Decoder
from .dino_attention_saliency import DINOAttentionSaliency
from .iou_matching import class_iou, iou_matrix, match_by_iou
from .load_saliency_from_file import LoadSaliencyFromFile
from .mask_contrast_head import MaskContrastHead
from .mask_contrast_loss import MaskContrastLoss, enet_class_weights, mask_prototypes
from .mask_contrast_segmentor import MaskContrastCode, MaskContrastSegmentor
from .mask_contrast_views import MaskContrastViews
from .mask_embedding import saliency_weighted_embedding
from .mask_kmeans_metric import MaskKMeansMetric
from .momentum_encoder_hook import MomentumEncoderHook
from .pack_mask_contrast_inputs import PackMaskContrastInputs
from .paper_results import PAPER_RESULTS
from .pixel_embedding_kmeans import PixelEmbedding, pixel_embedding_kmeans
from .prototype_queue import PrototypeQueue
from .saliency_from_files import SaliencyFromFiles, read_binary_saliency
from .saliency_postprocess import postprocess_saliency
from .scale_and_rotate import ScaleAndRotate
from .segment_memory_bank_metric import SegmentMemoryBankMetric
from .segment_retrieval_metric import SegmentRetrievalMetric

__all__ = [
    'PAPER_RESULTS',
    'DINOAttentionSaliency', 'DeepLabV3Decoder', 'LoadSaliencyFromFile', 'MaskContrastCode',
    'MaskContrastHead', 'MaskContrastLoss', 'MaskContrastSegmentor', 'MaskContrastViews', 'MaskKMeansMetric',
    'MomentumEncoderHook', 'PackMaskContrastInputs', 'PixelEmbedding', 'PrototypeQueue', 'SaliencyFromFiles',
    'ScaleAndRotate', 'SegmentMemoryBankMetric', 'SegmentRetrievalMetric',
    'balanced_bce_with_logits', 'class_iou', 'enet_class_weights', 'iou_matrix', 'match_by_iou', 'mask_prototypes', 'pixel_embedding_kmeans', 'postprocess_saliency',
    'read_binary_saliency', 'saliency_weighted_embedding'
]
