"""HSG (Ke et al., CVPR 2022) for useg: importing this package registers its components."""
from .clustering_transformer import ClusteringTransformer
from .dmon_loss import DMoNLoss, dmon_terms, knn_adjacency
from .embedding_head import HSGEmbeddingHead
from .felzenszwalb_regions import FelzenszwalbRegions, merge_regions
from .hierarchical_grouping import HierarchicalGrouping
from .hsg_segmentor import HSGSegmentor
from .masked_batch_norm import MaskedBatchNorm1d
from .memory_bank_hook import SegmentMemoryBankHook
from .multi_view import MultiView
from .multi_view_preprocessor import MultiViewSegDataPreProcessor
from .pack_multi_view_inputs import PackMultiViewInputs
from .random_scale_crop import RandomScaleCrop
from .region_map_loading import LoadRegionMap
from .segment_retrieval import majority_labels, retrieve_labels, segment_embedding_map
from .segments import Segments, extract_segments, pad_tokens
from .segsort_loss import SegSortLoss
from .spherical_kmeans import SphericalKMeans, grid_labels, location_features

__all__ = [
    'ClusteringTransformer', 'DMoNLoss', 'FelzenszwalbRegions', 'HSGEmbeddingHead',
    'HSGSegmentor', 'HierarchicalGrouping', 'LoadRegionMap', 'MaskedBatchNorm1d', 'MultiView',
    'MultiViewSegDataPreProcessor', 'PackMultiViewInputs', 'RandomScaleCrop',
    'SegSortLoss', 'SegmentMemoryBankHook', 'Segments', 'SphericalKMeans', 'dmon_terms',
    'extract_segments', 'grid_labels', 'knn_adjacency', 'location_features', 'majority_labels',
    'merge_regions', 'pad_tokens', 'retrieve_labels', 'segment_embedding_map'
]
