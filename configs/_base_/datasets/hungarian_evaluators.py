# The four evaluations every useg dataset config reports: cluster probe and linear probe,
# each without and with dense CRF (HungarianMetric skips a variant the model did not predict).
# num_classes comes from the dataset's classes; the cluster metrics count num_clusters ids (the
# cluster probe's rows: num_classes unless a method over-clusters and sets it).
num_clusters = '${num_classes}'
val_evaluator = [
    dict(type='HungarianMetric', mode='hungarian', pred_key='pred_sem_seg', prefix='cluster',
         num_clusters='${num_clusters}'),
    dict(type='HungarianMetric', mode='linear', pred_key='linear_pred_sem_seg', prefix='linear'),
    dict(type='HungarianMetric', mode='hungarian', pred_key='crf_pred_sem_seg',
         prefix='crf_cluster', num_clusters='${num_clusters}'),
    dict(type='HungarianMetric', mode='linear', pred_key='crf_linear_pred_sem_seg',
         prefix='crf_linear'),
]
test_evaluator = val_evaluator
