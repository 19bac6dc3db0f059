# PriMaPs-EM on a trained, frozen head of another method ("+SotA+PriMaPs"): a config sets
# ``head_checkpoint``, ``model.head`` (its ``init_cfg`` reading ``'${head_checkpoint}'``) and
# ``prototype_init = '${trained_head_prototype_init}'``: student and teacher then start from that
# method's cluster centres (``cluster_probe.clusters``, (K, code_dim)) instead of PCA + k-means.
trained_head_prototype_init = dict(type='PriMaPsPrototypeInitHook', init_from='${head_checkpoint}',
                                   init_key='cluster_probe.clusters')
