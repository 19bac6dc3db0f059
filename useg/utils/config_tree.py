"""Reading nested configs (mmengine ``Config`` / ``ConfigDict`` or plain dicts and lists)."""


def walk(node, visit):
    """Call ``visit(value)`` on ``node`` and on every value nested in its dicts, lists and tuples,
    parents first; where ``visit`` returns True, the values inside that one are skipped."""
    if visit(node):
        return
    children = node.values() if isinstance(node, dict) else node if isinstance(node, (list, tuple)) else ()
    for child in list(children):
        walk(child, visit)


def config_seed(cfg):
    """The run's seed: ``cfg.randomness.seed``, 0 when unset."""
    return (cfg.get('randomness') or {}).get('seed') or 0
