"""The numbers the paper reports, keyed ``'<method>/<backbone>/<dataset>'`` (none for the template).

The core gathers every installed plugin's ``PAPER_RESULTS`` (``useg.evaluation.paper_results``);
a config names its row with ``paper_results = '<key>'`` and ``useg reproduce`` prints the row
beside the measured mean ± std. An entry::

    'mymethod/dino_vitb8/cocostuff27': dict(
        source='paper table 1', protocol=dict(crop='center crop 320', crf=True, flip=False),
        cluster=(Acc, mIoU), linear=(Acc, mIoU))   # percent; None where the paper gives none
"""
PAPER_RESULTS = {}
