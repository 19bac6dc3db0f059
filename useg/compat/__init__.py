from .mmcv_ops import install_mmcv_ops_fallback

__all__ = ['install_mmcv_ops_fallback']
