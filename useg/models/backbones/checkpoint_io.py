"""Finding, reading and strictly loading backbone weight files (never downloading them)."""
import os
from dataclasses import dataclass

import torch
from mmengine.logging import print_log

from useg.utils import UsegError, load_safe_checkpoint

HF_HUB_PREFIX = 'hf-hub:'
HF_HUB_FILES = ('model.safetensors', 'pytorch_model.bin')


@dataclass(frozen=True)
class ExpectedWeights:
    """What to tell a user whose weight file is missing: ``files`` = ((file name, URL), ...)."""
    files: tuple
    page: str
    hf_hub: str = ''

    def instructions(self, path):
        where = 'a local folder' if path.startswith(HF_HUB_PREFIX) else \
            os.path.dirname(os.path.abspath(path))
        if self.files:
            lines = [f'Put one of these files into {where} (or point init_cfg.checkpoint at it):']
            lines += [f'  {name}  <- {url}' for name, url in self.files]
        else:
            lines = ['useg records no official file for this model: pass a checkpoint that '
                     'matches it.']
        if self.page:
            lines.append(f'They are listed on {self.page}.')
        if self.hf_hub:
            lines.append(f'A timm / Hugging Face cache copy also works: '
                         f"checkpoint='{HF_HUB_PREFIX}{self.hf_hub}'.")
        lines.append('useg never downloads weights at run time; see docs/backbones.md.')
        return '\n'.join(lines)


def resolve_checkpoint(checkpoint, expected):
    """Locate a weight file without downloading.

    ``checkpoint`` is a path, a bare file name that torch.hub has cached
    (``<torch hub dir>/checkpoints/<name>``), or ``'hf-hub:<repo id>'`` for a file already in the
    Hugging Face cache (timm's ``model.safetensors`` / ``pytorch_model.bin``).

    Raises:
        FileNotFoundError: naming the path, the expected file and where to get it.
    """
    checkpoint = str(checkpoint)
    if checkpoint.startswith(HF_HUB_PREFIX):
        repo_id = checkpoint[len(HF_HUB_PREFIX):]
        from huggingface_hub import try_to_load_from_cache
        for filename in HF_HUB_FILES:
            cached = try_to_load_from_cache(repo_id, filename)
            if isinstance(cached, str):
                return cached
        raise FileNotFoundError(f'{checkpoint}: no {" / ".join(HF_HUB_FILES)} of {repo_id} in the '
                                f'Hugging Face cache.\n{expected.instructions(checkpoint)}')
    if os.path.isfile(checkpoint):
        return checkpoint
    if not os.path.dirname(checkpoint):
        hub_copy = os.path.join(torch.hub.get_dir(), 'checkpoints', checkpoint)
        if os.path.isfile(hub_copy):
            return hub_copy
    raise FileNotFoundError(f'backbone weights not found: {checkpoint}\n'
                            f'{expected.instructions(checkpoint)}')


def read_checkpoint(path, allow_pickle=False):
    """Read a ``.safetensors`` or torch file into a (possibly nested) dict on the CPU.

    Torch files are read with ``weights_only=True`` unless ``allow_pickle`` (needed for training
    checkpoints that pickle Python objects, e.g. DINO's full checkpoints; trust the source first).
    """
    if path.endswith('.safetensors'):
        from safetensors.torch import load_file
        return load_file(path)
    if allow_pickle:  # tools/convert_weights.py --allow-pickle: the user vouches for the file
        return torch.load(path, map_location='cpu', weights_only=False)
    try:
        return load_safe_checkpoint(path)
    except UsegError as error:
        from useg.utils.commands import tool_command
        raise RuntimeError(f'{path} holds pickled Python objects besides tensors. If you trust '
                           f'it, convert it once with '
                           f'{tool_command("convert_weights.py", "--allow-pickle")}.'
                           ) from error


def unwrap_state_dict(checkpoint, containers):
    """Descend into the first of ``containers`` (e.g. ``'teacher'``, ``'state_dict'``) present,
    repeatedly, until a flat ``{name: tensor}`` dict remains; strip a DataParallel ``module.``."""
    state = checkpoint
    while True:
        inner = next((state[key] for key in containers
                      if isinstance(state.get(key), dict)), None)
        if inner is None:
            break
        state = inner
    tensors = {key: value for key, value in state.items() if isinstance(value, torch.Tensor)}
    if not tensors:
        raise ValueError(f'no tensors found in the checkpoint (top-level keys: {list(state)[:20]})')
    return {key[len('module.'):] if key.startswith('module.') else key: value
            for key, value in tensors.items()}


def select_submodule(state_dict, prefix):
    """If any key starts with ``prefix``, keep only those keys (prefix stripped) and log the
    others as dropped; otherwise return ``state_dict`` unchanged."""
    if not any(key.startswith(prefix) for key in state_dict):
        return state_dict
    dropped = sorted(key for key in state_dict if not key.startswith(prefix))
    if dropped:
        print_log(f'taking the "{prefix}" weights; dropping {len(dropped)} other keys '
                  f'(first: {dropped[:5]})', logger='current')
    return {key[len(prefix):]: value for key, value in state_dict.items() if key.startswith(prefix)}


def load_state_dict_strictly(module, state_dict, source,
                             optional_suffixes=('num_batches_tracked', )):
    """Load ``state_dict`` into ``module``; a missing, unexpected or wrongly shaped key is an error.

    Keys ending in ``optional_suffixes`` (BatchNorm step counters, absent from old torchvision
    files) may be missing and keep their current values.

    Raises:
        ValueError: listing every offending key, with ``source`` (file and arch) in the message.
    """
    own = module.state_dict()
    missing = sorted(key for key in own if key not in state_dict
                     and not key.endswith(tuple(optional_suffixes)))
    unexpected = sorted(key for key in state_dict if key not in own)
    mismatched = sorted(f'{key}: checkpoint {tuple(state_dict[key].shape)} vs model '
                        f'{tuple(own[key].shape)}' for key in state_dict
                        if key in own and state_dict[key].shape != own[key].shape)
    if missing or unexpected or mismatched:
        parts = [f'{source} does not match the model:']
        for title, keys in (('missing keys', missing), ('unexpected keys', unexpected),
                            ('shape mismatches', mismatched)):
            if keys:
                parts.append(f'  {title} ({len(keys)}): ' + ', '.join(keys))
        raise ValueError('\n'.join(parts))
    module.load_state_dict(state_dict, strict=False)
