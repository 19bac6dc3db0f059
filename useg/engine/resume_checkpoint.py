"""Which checkpoint ``--resume`` continues from, and whether a checkpoint fits a model."""
import glob
import os
import os.path as osp
import re
import warnings

from useg.utils import UsegError, atomic_path, load_safe_checkpoint

LAST_CHECKPOINT = 'last_checkpoint'
_ITER_FILE = re.compile(r'(?:iter|epoch)_(\d+)\.pth$')


def write_last_checkpoint(work_dir, checkpoint_path):
    """Write ``work_dir/last_checkpoint`` atomically, relative to ``work_dir`` when inside it."""
    work_dir = osp.abspath(work_dir)
    target = osp.abspath(checkpoint_path)
    if osp.commonpath([work_dir, target]) == work_dir:
        target = osp.relpath(target, work_dir)
    with atomic_path(osp.join(work_dir, LAST_CHECKPOINT)) as temporary:
        with open(temporary, 'wb') as file:
            file.write(target.encode())
            file.flush()
            os.fsync(file.fileno())


def _checkpoints_newest_first(work_dir):
    found = [(int(_ITER_FILE.search(p).group(1)), p)
             for p in glob.glob(osp.join(work_dir, '*.pth')) if _ITER_FILE.search(p)]
    return [path for _, path in sorted(found, reverse=True)]


def _named_checkpoint(work_dir):
    """The file ``last_checkpoint`` names (relative to ``work_dir``; an absolute path of a copied
    work dir falls back to the file of the same name here), or None when it names none."""
    record = osp.join(work_dir, LAST_CHECKPOINT)
    with open(record) as file:
        named = file.read().strip()
    if not named:
        return None
    local = osp.join(work_dir, named) if not osp.isabs(named) else named
    if osp.isabs(named) and osp.commonpath([osp.abspath(work_dir), named]) != osp.abspath(work_dir):
        local = osp.join(work_dir, osp.basename(named))  # a work dir copied from elsewhere
        if not osp.isfile(local):
            raise UsegError(f'{record} names {named}, outside this work dir, and no {osp.basename(named)} '
                            f'is here: copy that checkpoint here or delete {record} to start fresh')
    return local


def find_resume_checkpoint(work_dir):
    """``(path, checkpoint)`` of the newest intact checkpoint of ``work_dir`` (safe-loaded).

    Starts from the file ``last_checkpoint`` names, then the other ``iter_*.pth`` newest first;
    an unreadable (truncated, unsafe) file is skipped with a warning naming it.
    """
    record = osp.join(work_dir, LAST_CHECKPOINT)
    named = _named_checkpoint(work_dir)
    candidates = _checkpoints_newest_first(work_dir)
    if named is None:
        if not candidates:
            raise UsegError(f'{record} is empty and {work_dir} holds no iter_*.pth checkpoint: '
                            f'delete {record} to start fresh')
        warnings.warn(f'{record} is empty; looking for the newest intact checkpoint',
                      RuntimeWarning, stacklevel=2)
    else:
        candidates = [named] + [p for p in candidates if osp.abspath(p) != osp.abspath(named)]
    for path in candidates:
        try:
            return path, load_safe_checkpoint(path)
        except Exception as error:  # noqa: BLE001 - truncated zip, unsafe pickle, missing file
            warnings.warn(f'--resume: skipping unreadable checkpoint {path} '
                          f'({str(error).splitlines()[0] if str(error) else type(error).__name__})',
                          RuntimeWarning, stacklevel=2)
    raise UsegError(f'no intact checkpoint in {work_dir} to resume from: delete {record} to start fresh')


def check_checkpoint_fits(model, checkpoint, path):
    """Raise a one-line ``UsegError`` when ``checkpoint``'s weights do not fit ``model``."""
    state = checkpoint.get('state_dict', checkpoint)
    expected = getattr(model, 'module', model).state_dict()
    missing = [key for key in expected if key not in state]
    unexpected = [key for key in state if key not in expected]
    mismatched = [f'{key} {tuple(state[key].shape)} vs model {tuple(value.shape)}'
                  for key, value in expected.items()
                  if key in state and hasattr(state[key], 'shape')
                  and tuple(state[key].shape) != tuple(value.shape)]
    if missing or unexpected or mismatched:
        parts = [f'{len(items)} {kind} ({", ".join(items[:3])}{", ..." if len(items) > 3 else ""})'
                 for kind, items in (('shape mismatches', mismatched), ('missing keys', missing),
                                     ('unexpected keys', unexpected)) if items]
        raise UsegError(f'checkpoint {path} does not fit the model of this config: ' + '; '.join(parts))
    return checkpoint
