"""A minimal useg plugin: one registered head. Importing the package registers it."""
from .random_projection_head import RandomProjectionHead

__all__ = ['RandomProjectionHead']
