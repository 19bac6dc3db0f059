from .backbone_precision import backbone_autocast_dtype, cpu_has_bf16_units
from .infer_channels import feature_channels, with_in_channels

__all__ = ['backbone_autocast_dtype', 'cpu_has_bf16_units', 'feature_channels', 'with_in_channels']
