"""Errors for missing or half-prepared dataset roots that show the layout and how to prepare it."""
import os
import os.path as osp
import re


class DatasetLayoutError(FileNotFoundError):
    """A dataset root does not have the expected files; the message says what to do."""


def layout_error(dataset_name, data_root, problem, layout, prepare):
    """``DatasetLayoutError`` naming the problem, the expected layout and the prepare command
    (``python tools/<tool>.py`` lines become ``useg <command>`` outside a checkout)."""
    from useg.utils.commands import tool_command
    prepare = re.sub(r'python tools/(\w+\.py)', lambda match: tool_command(match.group(1)), prepare)
    return DatasetLayoutError(
        f'{dataset_name}: {problem}\n'
        f'Expected layout under data_root={data_root!r}:\n{layout.rstrip()}\n'
        f'Prepare it with:\n{prepare.rstrip()}\n'
        '(see docs/datasets.md)')


def require_path(path, dataset_name, data_root, layout, prepare, kind='directory'):
    """Raise ``DatasetLayoutError`` unless ``path`` exists as a ``'directory'`` or ``'file'``."""
    exists = osp.isdir(path) if kind == 'directory' else osp.isfile(path)
    if not exists:
        raise layout_error(dataset_name, data_root, f'missing {kind} {path}', layout, prepare)


IMAGE_SUFFIXES = ('.jpg', '.jpeg', '.png')


def list_image_label_pairs(img_dir, label_dir=None):
    """``[(image, label or None), ...]`` sorted by name: every ``*.jpg|jpeg|png`` of ``img_dir``
    paired with ``label_dir/<stem>.png``; ``FileNotFoundError`` names a missing label."""
    pairs = []
    for name in sorted(os.listdir(img_dir)):
        stem, suffix = osp.splitext(name)
        if suffix.lower() not in IMAGE_SUFFIXES:
            continue
        label = None
        if label_dir is not None:
            label = osp.join(label_dir, stem + '.png')
            if not osp.isfile(label):
                raise FileNotFoundError(f'image {osp.join(img_dir, name)} has no label {label}')
        pairs.append((osp.join(img_dir, name), label))
    return pairs
