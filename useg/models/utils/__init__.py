from .infer_channels import feature_channels, with_in_channels

__all__ = ['feature_channels', 'with_in_channels']
