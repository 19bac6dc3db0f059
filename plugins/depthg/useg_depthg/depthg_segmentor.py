"""DepthG: STEGO whose correlation loss also sees each training image's and neighbour's depth."""
import torch
import torch.nn.functional as F

from useg.neighbors import NEIGHBOR_DEPTH
from useg.registry import MODELS
from useg_stego import STEGOSegmentor
from .load_depth_map import DEPTH_FIELD
from .schedule import DepthGSchedule

SCHEDULED = ('depth_weight', 'depth_shift', 'feature_samples')


@MODELS.register_module()
class DepthGSegmentor(STEGOSegmentor):
    """:class:`useg_stego.STEGOSegmentor` trained with :class:`DepthGCorrelationLoss`.

    Each step first sets the loss's scheduled values (``schedule.at(iteration)``; a cut-off to
    random sampling switches ``sampling``), then reads the image depth (``gt_depth_map``) and the
    KNN neighbour's (``neighbor_depth``, packed by ``KNNPairDataset``) as ``(B, 1, H, W)`` at the
    input size. Prediction is :class:`UnsupervisedSegmentor`'s: depth is never needed at test time.

    Args:
        correlation_loss: ``DepthGCorrelationLoss`` config.
        schedule: :class:`DepthGSchedule` arguments (``depth_weight``, ``depth_shift``,
            ``feature_samples`` default to the loss's), or None for constant values.
        feature_dropout, **kwargs: as :class:`STEGOSegmentor`.
    """

    def __init__(self, correlation_loss, schedule=None, feature_dropout=True, **kwargs):
        super().__init__(correlation_loss, feature_dropout=feature_dropout, **kwargs)
        if schedule is not None and not isinstance(schedule, DepthGSchedule):
            defaults = {key: getattr(self.correlation_loss, key) for key in SCHEDULED}
            schedule = DepthGSchedule(**{**defaults, **schedule})
        self.schedule = schedule
        self.register_buffer('iteration', torch.zeros((), dtype=torch.long))

    def apply_schedule(self):
        """Set the loss's depth weight / shift, samples and sampling for the current iteration."""
        if self.schedule is None:
            return
        values = self.schedule.at(int(self.iteration))
        for key in SCHEDULED:
            setattr(self.correlation_loss, key, values[key])
        if values['sampling'] == 'random':
            self.correlation_loss.sampling = 'random'

    @staticmethod
    def depth_maps(data_samples, field, size, device):
        """``(B, 1, H, W)`` float32 depth of field ``field`` of every sample, bilinearly at ``size``."""
        missing = [index for index, sample in enumerate(data_samples) if field not in sample]
        if missing:
            raise KeyError(f'DepthG training needs {field!r} on every sample; samples {missing} have '
                           'none: add LoadDepthMap to the training pipeline (and wrap the set in '
                           'KNNPairDataset for the neighbour depth)')
        maps = []
        for sample in data_samples:
            depth = sample.get(field)
            depth = (depth.data if hasattr(depth, 'data') else depth).to(device, torch.float32)
            depth = depth.reshape(1, 1, *depth.shape[-2:])
            if tuple(depth.shape[-2:]) != tuple(size):
                depth = F.interpolate(depth, size=tuple(size), mode='bilinear', align_corners=False)
            maps.append(depth)
        return torch.cat(maps)

    def method_loss(self, feats, code, data_samples):
        self.apply_schedule()
        neighbors = self.neighbor_inputs(data_samples)
        size = neighbors.shape[-2:]
        depth = self.depth_maps(data_samples, DEPTH_FIELD, size, feats.device)
        depth_pos = self.depth_maps(data_samples, NEIGHBOR_DEPTH, size, feats.device)
        signal = self.correlation_signal(feats)
        feats_pos, code_pos = self.encode(neighbors)
        signal_pos = self.correlation_signal(feats_pos)
        losses = self.correlation_loss(signal, signal_pos, code, code_pos, depth, depth_pos)
        if self.training:
            self.iteration += 1
        return losses
