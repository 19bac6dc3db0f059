# The four evaluations every useg dataset config reports: cluster probe and linear probe,
# each without and with dense CRF (HungarianMetric skips a variant the model did not predict).
# num_classes comes from the dataset's classes; num_clusters defaults to num_classes.
val_evaluator = [
    dict(type='HungarianMetric', mode='hungarian', pred_key='pred_sem_seg', prefix='cluster'),
    dict(type='HungarianMetric', mode='linear', pred_key='linear_pred_sem_seg', prefix='linear'),
    dict(type='HungarianMetric', mode='hungarian', pred_key='crf_pred_sem_seg',
         prefix='crf_cluster'),
    dict(type='HungarianMetric', mode='linear', pred_key='crf_linear_pred_sem_seg',
         prefix='crf_linear'),
]
test_evaluator = val_evaluator
