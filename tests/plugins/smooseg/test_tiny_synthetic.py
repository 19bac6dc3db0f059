import os.path as osp

import torch

from tests.conftest import config_path


def test_tiny_synthetic_trains_and_evaluates_with_the_teacher(train_test, tmp_path):
    work_dir = str(tmp_path / 'smooseg')
    metrics = train_test(config_path('smooseg', 'tiny_synthetic.py'), work_dir=work_dir)
    for prefix in ('cluster', 'crf_cluster'):
        accuracy = [value for key, value in metrics.items()
                    if key.startswith(f'{prefix}/') and 'acc' in key.lower()]
        miou = [value for key, value in metrics.items()
                if key.startswith(f'{prefix}/') and 'miou' in key.lower()]
        assert accuracy and miou, sorted(metrics)
        assert all(0 <= value <= 100 for value in accuracy + miou)
    with open(osp.join(work_dir, 'last_checkpoint')) as file:
        state = torch.load(osp.join(work_dir, file.read().strip()), map_location='cpu', weights_only=True)['state_dict']
    teacher, student = state['cluster_probe.clusters'], state['student_prototypes.clusters']
    assert teacher.shape == student.shape == (4, 16)
    assert not torch.equal(teacher, student)  # the teacher lags the trained student
