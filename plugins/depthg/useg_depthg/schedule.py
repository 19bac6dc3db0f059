"""DepthG's step schedules of the depth weight / shift and of the number of sampled locations."""


class DepthGSchedule:
    """Replays the reference's end-of-step rules; ``at(k)`` gives the values used in iteration ``k``.

    After each iteration ``j`` (``g = steps_per_iteration * j``), in order: depth decay (``g`` a
    positive multiple of ``depth_decay_every``: weight, and shift unless ``fix_depth_shift``, times
    ``depth_decay_factor``); FPS cut-off (``fps_until > 0`` and ``g >= fps_until``: random sampling
    with ``post_fps_samples``); sample decay (``g`` a multiple of ``sample_decay_every``, positive
    unless ``decay_at_zero``: ``max(int(S * sample_decay_factor), min_samples)``). The reference
    counts ``steps_per_iteration=3`` and decays at zero.
    """

    def __init__(self, depth_weight, depth_shift, feature_samples, depth_decay=False,
                 depth_decay_every=300, depth_decay_factor=1.0, fix_depth_shift=False,
                 sample_decay=False, sample_decay_every=300, sample_decay_factor=0.9, min_samples=0,
                 fps_until=0, post_fps_samples=11, steps_per_iteration=1, decay_at_zero=False):
        self.depth_decay = bool(depth_decay)
        self.depth_decay_every = int(depth_decay_every)
        self.depth_decay_factor = float(depth_decay_factor)
        self.fix_depth_shift = bool(fix_depth_shift)
        self.sample_decay = bool(sample_decay)
        self.sample_decay_every = int(sample_decay_every)
        self.sample_decay_factor = float(sample_decay_factor)
        self.min_samples = int(min_samples)
        self.fps_until = int(fps_until)
        self.post_fps_samples = int(post_fps_samples)
        self.steps_per_iteration = int(steps_per_iteration)
        self.decay_at_zero = bool(decay_at_zero)
        self._states = [dict(depth_weight=float(depth_weight), depth_shift=float(depth_shift),
                             feature_samples=int(feature_samples), sampling='fps')]

    def _next(self, state, iteration):
        """The state after iteration ``iteration`` ends."""
        state = dict(state)
        step = self.steps_per_iteration * iteration
        if self.depth_decay and step % self.depth_decay_every == 0 and step > 0:
            state['depth_weight'] = state['depth_weight'] * self.depth_decay_factor
            if not self.fix_depth_shift:
                state['depth_shift'] = state['depth_shift'] * self.depth_decay_factor
        if self.fps_until > 0 and step >= self.fps_until:
            state['sampling'] = 'random'
            state['feature_samples'] = self.post_fps_samples
        if (self.sample_decay and step % self.sample_decay_every == 0
                and (step > 0 or self.decay_at_zero)):
            state['feature_samples'] = max(int(state['feature_samples'] * self.sample_decay_factor),
                                           self.min_samples)
        return state

    def at(self, iteration):
        """``dict(depth_weight, depth_shift, feature_samples, sampling)`` in force during ``iteration``."""
        iteration = int(iteration)
        if iteration < 0:
            raise ValueError(f'iteration must be >= 0, got {iteration}')
        while len(self._states) <= iteration:
            self._states.append(self._next(self._states[-1], len(self._states) - 1))
        return dict(self._states[iteration])
