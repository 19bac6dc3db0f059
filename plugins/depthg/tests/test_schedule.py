from useg_depthg import DepthGSchedule


def replay(k, weight, shift, samples, **rules):
    """Literal end-of-step replay of the rules over iterations 0..k-1."""
    spi, sampling = rules.get('steps_per_iteration', 1), 'fps'
    for j in range(k):
        g = spi * j
        if rules.get('depth_decay') and g % rules['depth_decay_every'] == 0 and g > 0:
            weight *= rules['depth_decay_factor']
            if not rules.get('fix_depth_shift'):
                shift *= rules['depth_decay_factor']
        if rules.get('fps_until', 0) > 0 and g >= rules['fps_until']:
            sampling, samples = 'random', rules['post_fps_samples']
        if (rules.get('sample_decay') and g % rules['sample_decay_every'] == 0
                and (g > 0 or rules.get('decay_at_zero'))):
            samples = max(int(samples * rules['sample_decay_factor']), rules.get('min_samples', 0))
    return dict(depth_weight=weight, depth_shift=shift, feature_samples=samples, sampling=sampling)


def test_reference_coco_vits_schedule():
    rules = dict(depth_decay=True, depth_decay_every=250, depth_decay_factor=0.6, sample_decay=True,
                 sample_decay_every=1000, sample_decay_factor=0.9, steps_per_iteration=3,
                 decay_at_zero=True)
    sched = DepthGSchedule(0.19, 0.03, 11, **rules)
    assert sched.at(0)['feature_samples'] == 11
    assert sched.at(1)['feature_samples'] == 9
    assert sched.at(1000)['feature_samples'] == 9 and sched.at(1001)['feature_samples'] == 8
    assert sched.at(251)['depth_weight'] < sched.at(250)['depth_weight'] == 0.19
    for k in (0, 1, 250, 251, 1001, 2001, 2333):
        assert sched.at(k) == replay(k, 0.19, 0.03, 11, **rules)


def test_clean_schedule_cutoff_and_fixed_shift():
    rules = dict(depth_decay=True, depth_decay_every=4, depth_decay_factor=0.5, fix_depth_shift=True,
                 sample_decay=True, sample_decay_every=3, sample_decay_factor=0.5, min_samples=3,
                 fps_until=7, post_fps_samples=6)
    sched = DepthGSchedule(1.0, 0.2, 11, **rules)
    assert sched.at(1)['feature_samples'] == 11  # no decay at zero by default
    assert sched.at(20)['depth_shift'] == 0.2
    assert sched.at(8)['sampling'] == 'random' and sched.at(7)['sampling'] == 'fps'
    for k in range(25):
        assert sched.at(k) == replay(k, 1.0, 0.2, 11, **rules)
    assert DepthGSchedule(1.0, 0.2, 11, **rules).at(24) == sched.at(24)  # cache-independent
