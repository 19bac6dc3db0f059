"""The mmengine Runner as useg runs it: data-parallel on GPUs or CPUs, safe and resumable checkpoints."""
import glob
import os.path as osp
import warnings

from mmengine.dist import all_gather_object, get_rank, get_world_size, is_distributed, is_main_process
from mmengine.runner import Runner
from mmengine.runner.checkpoint import _load_checkpoint_to_model
from mmengine.device import get_device
from mmengine.model import is_model_wrapper

from useg.registry import RUNNERS
from useg.utils import UsegError, atomic_path, init_distributed, load_safe_checkpoint
from useg.utils.disk_space import disk_full_message, is_disk_full
from .model_wrapper import UsegDistributedDataParallel
from .resume_checkpoint import check_checkpoint_fits, find_resume_checkpoint, write_last_checkpoint
from .rng_state import capture_rng_state, restore_rng_state
from .startup_banner_filter import StartupBannerFilter


class RestoreRngBeforeFetch:
    """Dataloader iterator that restores ``rng_state`` right before fetch number ``skip``.

    The train loop fast-forwards ``skip`` batches on resume; the saved state is the one the
    interrupted run had right before fetching that batch.
    """

    def __init__(self, iterator, skip, rng_state):
        self._iterator, self._skip, self._rng_state = iterator, skip, rng_state

    def __next__(self):
        if self._skip == 0 and self._rng_state is not None:
            restore_rng_state(self._rng_state)
            self._rng_state = None
        self._skip -= 1
        return next(self._iterator)

    def __iter__(self):
        return self

    def __getattr__(self, name):
        return getattr(self._iterator, name)


@RUNNERS.register_module()
class UsegRunner(Runner):
    """mmengine's Runner with useg's guarantees.

    * ``--launcher pytorch|slurm`` without CUDA runs on CPUs with the gloo backend (mmengine's
      ``init_dist`` would call ``torch.cuda.set_device``).
    * ``UnsupervisedSegmentor`` models are wrapped by :class:`UsegDistributedDataParallel` unless
      the config sets ``model_wrapper_cfg``.
    * Every checkpoint read is ``useg.utils.load_safe_checkpoint`` (``weights_only=True``); a resume
      refuses a checkpoint of another model in one line and skips unreadable checkpoints;
      ``load_from`` refuses a checkpoint of another model the same way.
    * Checkpoints are written to a temporary file and renamed (a full disk: one line naming the
      file and the space it needs, no partial file, the previous checkpoint kept); ``last_checkpoint`` is relative to
      the work dir; the RNG state of every rank is part of the checkpoint and restored on resume;
      validation does not consume the training RNG.
    * The environment report, config dump and hook table are logged only when the config sets
      ``verbose=True`` (the tools' ``--verbose``).
    """

    def build_logger(self, log_level='INFO', log_file=None, **kwargs):
        logger = super().build_logger(log_level=log_level, log_file=log_file, **kwargs)
        if not self.cfg.get('verbose', False) and not any(
                isinstance(item, StartupBannerFilter) for item in logger.filters):
            logger.addFilter(StartupBannerFilter())
        return logger

    def setup_env(self, env_cfg):
        if self.distributed and not is_distributed():  # gloo without CUDA
            init_distributed(self.launcher, **env_cfg.get('dist_cfg', {}))
        return super().setup_env(env_cfg)

    def wrap_model(self, model_wrapper_cfg, model):
        from useg.models import UnsupervisedSegmentor
        if self.distributed and model_wrapper_cfg is None and not is_model_wrapper(model) \
                and isinstance(model, UnsupervisedSegmentor):
            return UsegDistributedDataParallel(model.to(get_device()))
        return super().wrap_model(model_wrapper_cfg, model)

    # ------------------------------------------------------------------------- loading
    def load_checkpoint(self, filename, map_location='cpu', strict=False,
                        revise_keys=[(r'^module.', '')]):  # noqa: B006 - mmengine's signature
        checkpoint = getattr(self, '_preloaded_checkpoints', {}).pop(filename, None)
        if checkpoint is None:
            checkpoint = load_safe_checkpoint(filename)
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        model = self.model.module if is_model_wrapper(self.model) else self.model
        checkpoint = _load_checkpoint_to_model(model, checkpoint, strict, revise_keys=revise_keys)
        self._has_loaded = True
        self.logger.info(f'Load checkpoint from {filename}')
        return checkpoint

    def load_or_resume(self):
        if self._has_loaded:
            return None
        if self._resume:
            if self._load_from is None:
                path, checkpoint = find_resume_checkpoint(self.work_dir)
            else:
                path, checkpoint = self._load_from, load_safe_checkpoint(self._load_from)
            self.logger.info(f'Resuming from {path}')
            self._preloaded_checkpoints = {path: checkpoint}
            self.resume(path)
            self._has_loaded = True
        elif self._load_from is not None:  # refused unless it fits, as --resume and test do
            preloaded = getattr(self, '_preloaded_checkpoints', {})
            checkpoint = preloaded.get(self._load_from) or load_safe_checkpoint(self._load_from)
            check_checkpoint_fits(self.model, checkpoint, self._load_from)
            self._preloaded_checkpoints = {self._load_from: checkpoint}
            self.load_checkpoint(self._load_from)
            self._has_loaded = True

    def resume(self, filename, resume_optimizer=True, resume_param_scheduler=True,
               map_location='default'):
        checkpoint = getattr(self, '_preloaded_checkpoints', {}).get(filename)
        if checkpoint is None:
            checkpoint = load_safe_checkpoint(filename)
            self._preloaded_checkpoints = {filename: checkpoint}
        if 'meta' not in checkpoint or 'state_dict' not in checkpoint:
            raise UsegError(f'{filename} holds weights only (no training state) and cannot be '
                            f'resumed: train from it with --cfg-options load_from={filename}')
        check_checkpoint_fits(self.model, checkpoint, filename)
        rng_states = checkpoint['meta'].get('rng_states')
        super().resume(filename, resume_optimizer, resume_param_scheduler, map_location)
        if rng_states is None:
            warnings.warn(f'{filename} holds no RNG state: random draws after the resume differ '
                          f'from an uninterrupted run', RuntimeWarning, stacklevel=2)
        elif len(rng_states) != get_world_size():
            warnings.warn(f'{filename} was saved by {len(rng_states)} processes, this run has '
                          f'{get_world_size()}: the RNG state is not restored', RuntimeWarning,
                          stacklevel=2)
        else:
            loop = self.train_loop
            loop.dataloader_iterator = RestoreRngBeforeFetch(loop.dataloader_iterator, loop.iter,
                                                             rng_states[get_rank()])

    # ------------------------------------------------------------------------- saving
    def save_checkpoint(self, out_dir, filename, file_client_args=None, save_optimizer=True,
                        save_param_scheduler=True, meta=None, by_epoch=True, backend_args=None):
        """mmengine's checkpoint, with every rank's RNG state, written to a temporary file first."""
        rng_states = all_gather_object(capture_rng_state()) if is_distributed() \
            else [capture_rng_state()]
        if not is_main_process():
            return
        meta = dict(meta or {}, rng_states=rng_states)
        final = osp.join(out_dir, filename)
        try:
            with atomic_path(final) as temporary:  # no partial file stays behind
                super().save_checkpoint(out_dir, osp.basename(temporary), file_client_args,
                                        save_optimizer, save_param_scheduler, meta, by_epoch,
                                        backend_args)
        except OSError as error:
            if not is_disk_full(error):
                raise
            raise UsegError(disk_full_message(final, self._checkpoint_bytes(out_dir),
                                              'free space, then continue with --resume '
                                              '(the previous checkpoint is intact)')) from None

    def _checkpoint_bytes(self, out_dir):
        """About how many bytes a checkpoint takes: the newest one's size, else three times the
        model's tensors (weights + optimiser state)."""
        saved = glob.glob(osp.join(glob.escape(out_dir), '*.pth'))
        if saved:
            return osp.getsize(max(saved, key=osp.getmtime))
        return 3 * sum(tensor.numel() * tensor.element_size()
                       for tensor in self.model.state_dict().values())

    # ------------------------------------------------------------------------- hooks
    def call_hook(self, fn_name, **kwargs):
        """Runs the hooks; validation leaves the training RNG as it found it, and
        ``last_checkpoint`` is rewritten relative to the work dir after every save."""
        if fn_name == 'before_val':
            self._rng_before_val = capture_rng_state()
        super().call_hook(fn_name, **kwargs)
        if fn_name == 'after_val' and getattr(self, '_rng_before_val', None) is not None:
            restore_rng_state(self._rng_before_val)
            self._rng_before_val = None
        if fn_name in ('after_train_iter', 'after_train_epoch', 'after_train') and is_main_process():
            self._relative_last_checkpoint()

    def _relative_last_checkpoint(self):
        last = self.message_hub.get_info('last_ckpt')
        record = osp.join(self.work_dir, 'last_checkpoint')
        if last and osp.isfile(record) and last != getattr(self, '_last_recorded', None):
            with open(record) as file:
                if osp.isabs(file.read().strip()):
                    write_last_checkpoint(self.work_dir, last)
            self._last_recorded = last
