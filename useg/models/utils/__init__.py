from .backbone_precision import (as_float32, backbone_autocast, backbone_autocast_dtype,
                                 cpu_has_bf16_units, resolved_backbone_precision)
from .infer_channels import feature_channels, with_in_channels

__all__ = ['as_float32', 'backbone_autocast', 'backbone_autocast_dtype', 'cpu_has_bf16_units',
           'feature_channels', 'resolved_backbone_precision', 'with_in_channels']
