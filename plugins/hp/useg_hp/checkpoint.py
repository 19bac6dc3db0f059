"""Reference HP checkpoint (``ckpt.pth``) -> :class:`HPSegmentor` state dict."""
HEAD_KEYS = (('cluster1.0.', 'head.linear.'), ('cluster2.', 'head.nonlinear.'),
             ('ema_model1.0.', 'ema_head.linear.'), ('ema_model2.', 'ema_head.nonlinear.'))
SECTIONS = (('net_model_state_dict', 'net.'), ('linear_model_state_dict', 'linear.'),
            ('cluster_model_state_dict', 'cluster.'))


def flat_reference_state(checkpoint):
    """``ckpt.pth`` sections or an already flat dict -> ``{'net.*' | 'linear.*' | 'cluster.*': tensor}``."""
    if any(section in checkpoint for section, _ in SECTIONS):
        flat = {}
        for section, prefix in SECTIONS:
            for key, value in checkpoint.get(section, {}).items():
                flat[prefix + key.removeprefix('module.')] = value
        return flat
    return dict(checkpoint)


def convert_reference_state_dict(checkpoint):
    """Map the reference's head, EMA head and probes to ``HPSegmentor`` keys; ViT weights dropped."""
    converted = {}
    for key, value in flat_reference_state(checkpoint).items():
        if key.startswith('net.'):
            name = key[len('net.'):]
            for old, new in HEAD_KEYS:
                if name.startswith(old):
                    converted[new + name[len(old):]] = value
        elif key.startswith('linear.'):
            name = key.rsplit('.', 1)[-1]
            if name in ('weight', 'bias'):
                converted[f'linear_probe.conv.{name}'] = value.reshape(value.shape[0], -1, 1, 1) \
                    if name == 'weight' else value
        elif key.startswith('cluster.') and key.endswith('clusters'):
            converted['cluster_probe.clusters'] = value
    return converted
