"""SmooSeg: the numbers the paper reports, keyed ``'<method>/<backbone>/<dataset>'``.

Each entry: ``source``, ``protocol`` (``crop``, ``crf``, ``flip``) and ``cluster`` / ``linear`` =
``(Acc, mIoU)`` in percent (``None`` where the paper gives none); the core gathers every plugin's
``PAPER_RESULTS`` (``useg.evaluation.paper_results``) and a config names its row with
``paper_results = '<key>'``.
"""
_SOURCE = 'SmooSeg paper tables as recalled in specs/smooseg.md (verify against the PDF)'
_PROTOCOL = dict(crop='center crop 320', crf=True, flip=True)  # STEGO's

PAPER_RESULTS = {
    'smooseg/dino_vits8/cocostuff27': dict(source=_SOURCE, protocol=_PROTOCOL,
                                           cluster=(63.2, 26.7), linear=None),
    'smooseg/dino_vits8/cityscapes27': dict(source=_SOURCE, protocol=_PROTOCOL,
                                            cluster=(82.8, 18.4), linear=None),
}
