"""The teacher EMA of PriMaPs-EM (a warm-up EMA of the student prototypes)."""


def teacher_decay(update, max_decay=0.98):
    """Decay of the ``update``-th teacher update (1-based); 0 means a hard copy.

    Updates 1 and 2 copy the student (the reference EMA copies twice before it is "initted");
    update ``k >= 3`` uses ``min(1 - 1/k, max_decay)``.
    """
    if update < 1:
        raise ValueError(f'update counts from 1, got {update}')
    return 0.0 if update <= 2 else min(1 - 1 / update, max_decay)
