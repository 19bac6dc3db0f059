"""useg: unsupervised semantic segmentation on the OpenMMLab stack."""
from .compat import install_mmcv_ops_fallback

install_mmcv_ops_fallback()

__version__ = '0.1.0'
