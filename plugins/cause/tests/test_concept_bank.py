"""ConceptBank: FIFO order per concept, randperm per concept in ascending order, keep fraction."""
import torch
import torch.nn.functional as F

from useg_cause import ConceptBank

CODEBOOK = torch.tensor([[1., 0.], [0., 1.]])


def _step(concepts, values):
    """One image whose tokens point at ``concepts``; teacher rows = ``values``."""
    feats = CODEBOOK[torch.tensor(concepts)][None]
    teacher = torch.tensor(values, dtype=torch.float)[:, None].repeat(1, 3)[None]
    return feats, teacher


def test_fifo_keeps_the_newest_rows_of_each_concept():
    bank = ConceptBank(2, size=3, keep=1.0)
    for step in range(4):
        bank.update(*_step([0, 1], [step + 1, 10 * (step + 1)]), CODEBOOK)
    assert bank.rows[0][:, 0].tolist() == [2., 3., 4.]
    assert bank.rows[1][:, 0].tolist() == [20., 30., 40.]
    proj, concepts = bank.tensors(CODEBOOK)
    assert proj.shape == (6, 3) and concepts.shape == (6, 2)
    torch.testing.assert_close(proj, F.normalize(torch.ones(6, 3), dim=1))
    assert torch.equal(concepts, CODEBOOK[torch.tensor([0, 0, 0, 1, 1, 1])])  # concepts ascending


def test_one_randperm_per_concept_in_ascending_order_and_keep_half():
    bank = ConceptBank(2, size=100, keep=0.5)
    feats, teacher = _step([1, 0, 1, 0, 0, 1, 1], [0, 1, 2, 3, 4, 5, 6])
    torch.manual_seed(5)
    bank.update(feats, teacher, CODEBOOK)
    torch.manual_seed(5)
    rows0 = torch.tensor([1., 3., 4.])[torch.randperm(3)][:1]
    rows1 = torch.tensor([0., 2., 5., 6.])[torch.randperm(4)][:2]
    assert bank.rows[0][:, 0].tolist() == rows0.tolist()
    assert bank.rows[1][:, 0].tolist() == rows1.tolist()


def test_single_occurrence_is_never_banked_and_empty_tensors():
    bank = ConceptBank(2)
    proj, concepts = bank.tensors(CODEBOOK)
    assert proj.shape[0] == 0 and concepts.shape == (0, 2)
    bank.update(*_step([0, 1], [1, 2]), CODEBOOK)  # int(0.5 * 1) = 0 rows each
    assert len(bank) == 0 and bank.tensors(CODEBOOK)[0].shape[0] == 0


def test_state_dict_round_trip():
    bank = ConceptBank(2, size=3, keep=1.0)
    bank.update(*_step([0, 1, 1], [1, 2, 3]), CODEBOOK)
    restored = ConceptBank(2, size=3, keep=1.0)
    restored.load_state_dict(bank.state_dict())
    for first, second in zip(bank.tensors(CODEBOOK), restored.tensors(CODEBOOK)):
        assert torch.equal(first, second)
