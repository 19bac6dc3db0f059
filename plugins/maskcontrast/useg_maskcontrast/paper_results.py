"""MaskContrast: the numbers the paper reports, keyed ``'<method>/<backbone>/<dataset>'``.

Each entry: ``source``, ``protocol`` (``crop``, ``crf``, ``flip``) and ``cluster`` / ``linear`` =
``(Acc, mIoU)`` in percent (``None`` where the paper gives none); the core gathers every plugin's
``PAPER_RESULTS`` (``useg.evaluation.paper_results``) and a config names its row with
``paper_results = '<key>'``.
"""
PAPER_RESULTS = {
    'maskcontrast/r50_unsup_saliency/voc': dict(
        source='MaskContrast README model zoo (linear probe = LC; cluster = K-means, 21 classes)',
        protocol=dict(crop='resize 512x512', crf=False, flip=False), cluster=(None, 35.0),
        linear=(None, 58.4)),
    'maskcontrast/r50_sup_saliency/voc': dict(
        source='MaskContrast README model zoo (linear probe = LC; cluster = K-means, 21 classes)',
        protocol=dict(crop='resize 512x512', crf=False, flip=False), cluster=(None, 44.2),
        linear=(None, 63.9)),
}
