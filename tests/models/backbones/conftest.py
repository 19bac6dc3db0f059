"""Independent helpers: official DINO / DINOv2 key layouts and a plain-torch forward written
from the authors' description (not from useg's code), used as ground truth."""
import math

import pytest
import torch
import torch.nn.functional as F



def official_vit_keys(depth, layer_scale, registers):
    """The key names DINO (``layer_scale=False``) / DINOv2 release files use."""
    keys = {'cls_token', 'pos_embed', 'patch_embed.proj.weight', 'patch_embed.proj.bias',
            'norm.weight', 'norm.bias'}
    per_block = ['norm1.weight', 'norm1.bias', 'attn.qkv.weight', 'attn.qkv.bias',
                 'attn.proj.weight', 'attn.proj.bias', 'norm2.weight', 'norm2.bias',
                 'mlp.fc1.weight', 'mlp.fc1.bias', 'mlp.fc2.weight', 'mlp.fc2.bias']
    if layer_scale:
        per_block += ['ls1.gamma', 'ls2.gamma']
        keys.add('mask_token')
    if registers:
        keys.add('register_tokens')
    keys.update(f'blocks.{index}.{name}' for index in range(depth) for name in per_block)
    return keys


def random_official_state(patch, grid, layer_scale, registers=0, seed=0, embed_dim=48, depth=2):
    """A random state dict in the official layout (pos_embed includes the class token)."""
    generator = torch.Generator().manual_seed(seed)
    hidden = 4 * embed_dim

    def rand(*shape, scale=0.2):
        return torch.randn(*shape, generator=generator) * scale

    state = {'cls_token': rand(1, 1, embed_dim), 'pos_embed': rand(1, 1 + grid * grid, embed_dim),
             'patch_embed.proj.weight': rand(embed_dim, 3, patch, patch, scale=0.05),
             'patch_embed.proj.bias': rand(embed_dim), 'norm.weight': 1 + rand(embed_dim),
             'norm.bias': rand(embed_dim)}
    for index in range(depth):
        block = {'norm1.weight': 1 + rand(embed_dim), 'norm1.bias': rand(embed_dim),
                 'attn.qkv.weight': rand(3 * embed_dim, embed_dim),
                 'attn.qkv.bias': rand(3 * embed_dim),
                 'attn.proj.weight': rand(embed_dim, embed_dim), 'attn.proj.bias': rand(embed_dim),
                 'norm2.weight': 1 + rand(embed_dim), 'norm2.bias': rand(embed_dim),
                 'mlp.fc1.weight': rand(hidden, embed_dim), 'mlp.fc1.bias': rand(hidden),
                 'mlp.fc2.weight': rand(embed_dim, hidden), 'mlp.fc2.bias': rand(embed_dim)}
        if layer_scale:
            block.update({'ls1.gamma': rand(embed_dim), 'ls2.gamma': rand(embed_dim)})
        state.update({f'blocks.{index}.{name}': value for name, value in block.items()})
    if layer_scale:
        state['mask_token'] = torch.zeros(1, embed_dim)
    if registers:
        state['register_tokens'] = rand(1, registers, embed_dim)
    return state


def reference_forward(state, images, patch, heads, offset=0.1, antialias=False):
    """DINO / DINOv2 forward from an official state dict, by hand.

    Returns dict: ``blocks`` (list of (B, T, C) block outputs), ``feats`` (B, C, h, w) patch
    tokens of the last block after the final norm, ``attention`` (B, heads, h*w) and
    ``keys`` (B, C, h, w) of the last block.
    """
    weight = state.get
    x = F.conv2d(images, state['patch_embed.proj.weight'], state['patch_embed.proj.bias'],
                 stride=patch)
    batch, channels, height, width = x.shape
    x = x.flatten(2).transpose(1, 2)
    x = torch.cat([state['cls_token'].expand(batch, -1, -1), x], dim=1)
    pos = state['pos_embed']
    side = math.isqrt(pos.shape[1] - 1)
    patch_pos = pos[:, 1:]
    if (height, width) != (side, side):
        grid = patch_pos.reshape(1, side, side, channels).permute(0, 3, 1, 2)
        if offset:
            grid = F.interpolate(grid, scale_factor=((height + offset) / side,
                                                     (width + offset) / side),
                                 mode='bicubic', antialias=antialias)
        else:
            grid = F.interpolate(grid, size=(height, width), mode='bicubic', antialias=antialias)
        patch_pos = grid.permute(0, 2, 3, 1).reshape(1, height * width, channels)
    x = x + torch.cat([pos[:, :1], patch_pos], dim=1)
    registers = state.get('register_tokens')
    num_prefix = 1
    if registers is not None:
        x = torch.cat([x[:, :1], registers.expand(batch, -1, -1), x[:, 1:]], dim=1)
        num_prefix += registers.shape[1]
    head_dim = channels // heads
    depth = 1 + max(int(key.split('.')[1]) for key in state if key.startswith('blocks.'))
    outputs = {'blocks': []}
    for index in range(depth):
        def p(name):
            return weight(f'blocks.{index}.{name}')
        y = F.layer_norm(x, (channels, ), p('norm1.weight'), p('norm1.bias'), eps=1e-6)
        qkv = F.linear(y, p('attn.qkv.weight'), p('attn.qkv.bias'))
        q, k, v = qkv.reshape(batch, -1, 3, heads, head_dim).permute(2, 0, 3, 1, 4)
        attention = ((q @ k.transpose(-2, -1)) * head_dim ** -0.5).softmax(dim=-1)
        mixed = (attention @ v).transpose(1, 2).reshape(batch, -1, channels)
        mixed = F.linear(mixed, p('attn.proj.weight'), p('attn.proj.bias'))
        if p('ls1.gamma') is not None:
            mixed = mixed * p('ls1.gamma')
        x = x + mixed
        y = F.layer_norm(x, (channels, ), p('norm2.weight'), p('norm2.bias'), eps=1e-6)
        y = F.linear(F.gelu(F.linear(y, p('mlp.fc1.weight'), p('mlp.fc1.bias'))),
                     p('mlp.fc2.weight'), p('mlp.fc2.bias'))
        if p('ls2.gamma') is not None:
            y = y * p('ls2.gamma')
        x = x + y
        outputs['blocks'].append(x)
    normed = F.layer_norm(x, (channels, ), state['norm.weight'], state['norm.bias'], eps=1e-6)
    shape = (batch, channels, height, width)
    outputs['feats'] = normed[:, num_prefix:].transpose(1, 2).reshape(shape)
    outputs['attention'] = attention[:, :, 0, num_prefix:]
    outputs['keys'] = k[:, :, num_prefix:].permute(0, 1, 3, 2).reshape(shape)
    return outputs


@pytest.fixture
def official_state():
    return random_official_state


@pytest.fixture
def official_keys():
    return official_vit_keys


@pytest.fixture
def reference_vit():
    return reference_forward
