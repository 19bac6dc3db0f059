# The four standard evaluations plus the reference's cluster metric (STEGO's UnsupervisedMetrics
# with extra clusters: pixels predicted as an id >= num_classes are left out), with and without
# CRF, as `cluster_reference` / `crf_cluster_reference`. A `_faithful` leaf sets
# `val_evaluator = '${reference_evaluators}'`.
reference_evaluators = [
    dict(type='HungarianMetric', mode='hungarian', pred_key='pred_sem_seg', prefix='cluster',
         num_clusters='${num_clusters}'),
    dict(type='HungarianMetric', mode='linear', pred_key='linear_pred_sem_seg', prefix='linear'),
    dict(type='HungarianMetric', mode='hungarian', pred_key='crf_pred_sem_seg',
         prefix='crf_cluster', num_clusters='${num_clusters}'),
    dict(type='HungarianMetric', mode='linear', pred_key='crf_linear_pred_sem_seg',
         prefix='crf_linear'),
    dict(type='HungarianMetric', mode='hungarian', pred_key='pred_sem_seg',
         prefix='cluster_reference', num_clusters='${num_clusters}',
         drop_extra_cluster_pixels=True),
    dict(type='HungarianMetric', mode='hungarian', pred_key='crf_pred_sem_seg',
         prefix='crf_cluster_reference', num_clusters='${num_clusters}',
         drop_extra_cluster_pixels=True),
]
