"""``ConceptBankCheckpointHook``: the concept bank travels with checkpoints, so resuming keeps it."""
from mmengine.hooks import Hook

from useg.registry import HOOKS

CHECKPOINT_KEY = 'cause_concept_bank'


@HOOKS.register_module()
class ConceptBankCheckpointHook(Hook):
    """Stores ``model.bank`` (a :class:`ConceptBank`) in every checkpoint and restores it on load."""

    def before_save_checkpoint(self, runner, checkpoint):
        model = getattr(runner.model, 'module', runner.model)
        checkpoint[CHECKPOINT_KEY] = model.bank.state_dict()

    def after_load_checkpoint(self, runner, checkpoint):
        if CHECKPOINT_KEY in checkpoint:
            model = getattr(runner.model, 'module', runner.model)
            model.bank.load_state_dict(checkpoint[CHECKPOINT_KEY], model.codebook.device)
