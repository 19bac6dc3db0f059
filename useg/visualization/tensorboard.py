"""TensorBoard logging through mmengine's ``TensorboardVisBackend`` (``--tensorboard``)."""
TENSORBOARD_BACKEND = dict(type='TensorboardVisBackend')


def enable_tensorboard(cfg):
    """Add mmengine's TensorBoard backend to ``cfg.visualizer`` (events under
    ``<work_dir>/<timestamp>/vis_data``); a config can do the same with
    ``visualizer = dict(vis_backends=[dict(type='LocalVisBackend'), dict(type='TensorboardVisBackend')])``."""
    from useg.utils import UsegError
    try:
        import tensorboard  # noqa: F401  (torch.utils.tensorboard needs it)
    except ImportError:
        raise UsegError("--tensorboard needs the tensorboard package: pip install 'useg[tensorboard]'") \
            from None
    visualizer = cfg.setdefault('visualizer', dict(type='SegLocalVisualizer'))
    backends = list(visualizer.get('vis_backends') or [dict(type='LocalVisBackend')])
    if not any(backend.get('type') == TENSORBOARD_BACKEND['type'] for backend in backends):
        backends.append(dict(TENSORBOARD_BACKEND))
    visualizer['vis_backends'] = backends
    return cfg
