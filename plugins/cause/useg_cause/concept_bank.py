"""Per-concept FIFO bank of past teacher projections (CAUSE's out-of-batch samples)."""
import torch
import torch.nn.functional as F

from .quantization import codebook_index


class ConceptBank:
    """For every clusterbook entry, the newest ``size`` un-normalised teacher projections.

    ``update(feats (B, N, C), teacher (B, N, Dp), codebook (M, C))``: tokens are assigned to
    their concept (:func:`codebook_index`); for each concept present, in ascending index order,
    its rows in (b, n) row-major order are shuffled by one ``torch.randperm(n)`` (CPU generator),
    the first ``int(keep * n)`` are appended and only the newest ``size`` are kept.
    ``tensors(codebook)`` -> ``(bank_proj (Nb, Dp), bank_concepts (Nb, C))``, both L2-normalised,
    concepts ascending (empty tensors when the bank is empty). ``state_dict`` /
    ``load_state_dict`` carry the rows through checkpoints.
    """

    def __init__(self, num_concepts, size=100, keep=0.5):
        self.num_concepts = num_concepts
        self.size = size
        self.keep = keep
        self.rows = {}  # concept -> (n, Dp), oldest first
        self._cache = None

    def __len__(self):
        return sum(len(rows) for rows in self.rows.values())

    @torch.no_grad()
    def update(self, feats, teacher, codebook):
        index = codebook_index(feats, codebook).reshape(-1)
        teacher = teacher.detach().reshape(-1, teacher.shape[-1])
        for concept in index.unique().tolist():  # sorted ascending
            rows = teacher[index == concept]
            rows = rows[torch.randperm(len(rows)).to(rows.device)][:int(len(rows) * self.keep)]
            if concept in self.rows:
                rows = torch.cat([self.rows[concept], rows])
            self.rows[concept] = rows[-self.size:]
        self._cache = None

    def tensors(self, codebook):
        """``(bank_proj (Nb, Dp), bank_concepts (Nb, C))`` L2-normalised, concepts ascending."""
        if self._cache is None or self._cache[0] is not codebook:
            concepts = [concept for concept in sorted(self.rows) if len(self.rows[concept])]
            if not concepts:
                width = next(iter(self.rows.values())).shape[1] if self.rows else 0
                empty = (codebook.new_zeros(0, width), codebook.new_zeros(0, codebook.shape[1]))
                self._cache = (codebook, empty)
            else:
                proj = torch.cat([self.rows[concept] for concept in concepts])
                counts = torch.tensor([len(self.rows[concept]) for concept in concepts],
                                      device=codebook.device)
                rows = codebook[torch.tensor(concepts, device=codebook.device)]
                self._cache = (codebook, (F.normalize(proj, dim=1),
                                          F.normalize(rows.repeat_interleave(counts, dim=0), dim=1)))
        return self._cache[1]

    def state_dict(self):
        concepts = sorted(self.rows)
        return dict(concepts=torch.tensor(concepts, dtype=torch.long),
                    counts=torch.tensor([len(self.rows[c]) for c in concepts], dtype=torch.long),
                    rows=torch.cat([self.rows[c].cpu() for c in concepts]) if concepts
                    else torch.zeros(0, 0))

    def load_state_dict(self, state, device=None):
        rows = state['rows'].to(device) if device is not None else state['rows']
        self.rows = dict(zip(state['concepts'].tolist(), rows.split(state['counts'].tolist())))
        self._cache = None
