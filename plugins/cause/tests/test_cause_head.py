"""CAUSEHead (MLP / TR) against explicit computations, and the reference key conversion."""
import math

import pytest
import torch
import torch.nn.functional as F

from useg.registry import MODELS
from useg_cause import CAUSEHead, convert_reference_head


def _mlp_by_hand(head, x):
    w1, b1 = head.linear.weight[:, :, 0, 0], head.linear.bias
    wa, ba = head.nonlinear[0].weight[:, :, 0, 0], head.nonlinear[0].bias
    wb, bb = head.nonlinear[2].weight[:, :, 0, 0], head.nonlinear[2].bias
    return x @ w1.T + b1 + F.relu(x @ wa.T + ba) @ wb.T + bb


def test_mlp_head_eval_matches_explicit_computation_and_map_layout():
    torch.manual_seed(0)
    head = MODELS.build(dict(type='CAUSEHead', structure='mlp', in_channels=6, channels=4,
                             dropout=0.1)).eval()
    tokens = torch.randn(2, 9, 6)
    out = head(tokens)
    assert out.shape == (2, 9, 4)
    torch.testing.assert_close(out, _mlp_by_hand(head, tokens), rtol=1e-5, atol=1e-6)
    as_map = head(tokens.transpose(1, 2).reshape(2, 6, 3, 3))
    torch.testing.assert_close(as_map, out.transpose(1, 2).reshape(2, 4, 3, 3))
    wide = torch.randn(1, 6, 2, 5)  # non-square maps work for the MLP head
    torch.testing.assert_close(head(wide), _mlp_by_hand(head, wide.flatten(2).transpose(1, 2))
                               .transpose(1, 2).reshape(1, 4, 2, 5), rtol=1e-5, atol=1e-6)
    head.train()
    assert not torch.equal(head(tokens), head(tokens))  # element-wise dropout in training


def test_tr_head_eval_matches_explicit_decoder_layer():
    torch.manual_seed(0)
    channels, num_tokens = 6, 4
    codebook = torch.randn(5, channels)
    head = CAUSEHead('tr', channels, 3, num_tokens=num_tokens, ffn_channels=8).eval()
    head.set_codebook(codebook)
    x = torch.randn(2, num_tokens, channels)

    def attention(module, q, k, v):
        wq, wk, wv = module.in_proj_weight.chunk(3)
        bq, bk, bv = module.in_proj_bias.chunk(3)
        scores = (q @ wq.T + bq) @ (k @ wk.T + bk).transpose(1, 2) / math.sqrt(channels)
        return module.out_proj(torch.softmax(scores, dim=-1) @ (v @ wv.T + bv))

    cos = F.normalize(x, dim=2) @ F.normalize(codebook, dim=1).T
    query = codebook[cos.argmax(2)]
    pos = head.query_pos[None]
    query = head.norm_self(query + attention(head.self_attn, query + pos, query + pos, query))
    query = head.norm_cross(query + attention(head.cross_attn, query + pos, x, x))
    query = x + head.norm_ffn(query + head.ffn_out(F.relu(head.ffn_in(query))))
    expected = _mlp_by_hand(head, query)
    torch.testing.assert_close(head(x), expected, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(CAUSEHead.forward(head, x, codebook), expected, rtol=1e-4, atol=1e-5)
    # another grid (inference at another size): query positions resized bicubically
    assert head.positions((2, 2)) is head.query_pos
    table = head.query_pos.T.reshape(1, channels, 2, 2)
    resized = F.interpolate(table, size=(3, 5), mode='bicubic', align_corners=False)
    torch.testing.assert_close(head.positions((3, 5)), resized.flatten(2)[0].T)
    wide = torch.randn(1, channels, 3, 5)
    out = head(wide)
    assert out.shape == (1, 3, 3, 5) and torch.isfinite(out).all()
    with pytest.raises(ValueError, match='do not form'):
        head.decode(torch.randn(1, 9, channels), codebook, (2, 5))
    with pytest.raises(ValueError, match='clusterbook'):
        CAUSEHead('tr', channels, 3, num_tokens=num_tokens).eval()(x)


@pytest.mark.parametrize('structure', ['mlp', 'tr'])
def test_convert_reference_head_loads_strictly(structure):
    channels, reduced, hidden, tokens = 6, 3, 8, 4
    ref = {'f1.weight': (reduced, channels, 1, 1), 'f1.bias': (reduced, ),
           'f2.0.weight': (channels, channels, 1, 1), 'f2.0.bias': (channels, ),
           'f2.2.weight': (reduced, channels, 1, 1), 'f2.2.bias': (reduced, )}
    if structure == 'tr':
        ref = {'tr.' + key: shape for key, shape in ref.items()}
        ref['query_pos'] = (tokens, channels)
        for attn in ('self_attn', 'multihead_attn'):
            ref.update({f'tr.{attn}.in_proj_weight': (3 * channels, channels),
                        f'tr.{attn}.in_proj_bias': (3 * channels, ),
                        f'tr.{attn}.out_proj.weight': (channels, channels),
                        f'tr.{attn}.out_proj.bias': (channels, )})
        ref.update({'tr.linear1.weight': (hidden, channels), 'tr.linear1.bias': (hidden, ),
                    'tr.linear2.weight': (channels, hidden), 'tr.linear2.bias': (channels, )})
        for norm in ('norm1', 'norm2', 'norm3'):
            ref.update({f'tr.{norm}.weight': (channels, ), f'tr.{norm}.bias': (channels, )})
    state = {key: torch.randn(shape) for key, shape in ref.items()}
    head = CAUSEHead(structure, channels, reduced, num_tokens=tokens, ffn_channels=hidden)
    converted = convert_reference_head(state, structure)
    head.load_state_dict(converted)  # strict
    assert torch.equal(head.linear.weight, state[('tr.' if structure == 'tr' else '') + 'f1.weight'])
    if structure == 'tr':
        assert torch.equal(head.cross_attn.in_proj_weight, state['tr.multihead_attn.in_proj_weight'])
        assert torch.equal(head.norm_ffn.bias, state['tr.norm3.bias'])
    with pytest.raises(KeyError):
        convert_reference_head({'unknown.weight': torch.zeros(1)}, structure)
