"""Key mapping from the reference's ``Segment_MLP`` / ``Segment_TR`` heads to :class:`CAUSEHead`."""

_MLP_KEYS = {'f1.': 'linear.', 'f2.': 'nonlinear.'}
_TR_KEYS = {
    'query_pos': 'query_pos',
    'tr.self_attn.': 'self_attn.',
    'tr.multihead_attn.': 'cross_attn.',
    'tr.linear1.': 'ffn_in.',
    'tr.linear2.': 'ffn_out.',
    'tr.norm1.': 'norm_self.',
    'tr.norm2.': 'norm_cross.',
    'tr.norm3.': 'norm_ffn.',
    'tr.f1.': 'linear.',
    'tr.f2.': 'nonlinear.',
}


def convert_reference_head(state_dict, structure):
    """One reference head's state dict (keys under ``head.`` / ``head_ema.``, prefix stripped) ->
    :class:`CAUSEHead` keys. ``structure``: ``'mlp'`` (``HeadSegment``) or ``'tr'`` (``Decoder``).

    The TR clusterbook is not part of the reference's state dict: set it with
    ``CAUSEHead.set_codebook``. Unknown keys raise ``KeyError``.
    """
    table = {'mlp': _MLP_KEYS, 'tr': _TR_KEYS}[structure]
    converted = {}
    for key, value in state_dict.items():
        for old, new in table.items():
            if key.startswith(old):
                converted[new + key[len(old):]] = value
                break
        else:
            raise KeyError(f'unexpected key {key!r} for a reference {structure} head')
    return converted
