"""Fill a module config's omitted ``in_channels`` from the module that feeds it.

Configs name a backbone once; heads and probes may leave ``in_channels`` out and get the width
of what they read: the backbone's features ``(B, C, h, w)`` for a head (or for probes when there
is no head), the head's code ``(B, D, h, w)`` for probes.
"""
import inspect

from useg.registry import MODELS

WIDTH_ATTRIBUTES = ('out_channels', 'embed_dim', 'feat_dim', 'channels')


def feature_channels(module, config=None):
    """Channels of ``module``'s output: its ``out_channels`` / ``embed_dim`` (ViTs) / ``feat_dim``
    (ResNets) / ``channels`` attribute, else ``config['channels']``; None when unknown."""
    for name in WIDTH_ATTRIBUTES:
        value = getattr(module, name, None)
        if isinstance(value, int):
            return value
    return (config or {}).get('channels')


def with_in_channels(config, channels):
    """``config`` (a module config dict or None) with ``in_channels=channels`` added when it is
    omitted and its type takes ``in_channels``; otherwise ``config`` unchanged."""
    if not isinstance(config, dict) or 'in_channels' in config or channels is None:
        return config
    module_type = config.get('type')
    cls = MODELS.get(module_type) if isinstance(module_type, str) else module_type
    if cls is None or 'in_channels' not in inspect.signature(cls).parameters:
        return config
    return dict(config, in_channels=channels)
