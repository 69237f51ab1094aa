"""Let mmengine 0.10 resume its own checkpoints under torch >= 2.6.

torch 2.6 made ``torch.load`` default to ``weights_only=True``; mmengine
0.10 (through 0.10.7) loads checkpoints with a bare ``torch.load``, and its
checkpoints hold the message hub's ``HistoryBuffer`` and the numpy arrays
and scalars inside it, so ``Runner.resume`` fails with an
``UnpicklingError`` (open-mmlab/mmengine issue 1655). The fix has to reach
mmengine's own ``torch.load`` call, so it is process-wide: exactly those
types are allow-listed with ``torch.serialization.add_safe_globals`` (a
guarded ``getattr`` answers only ``HistoryBuffer``'s statistic methods).
Nothing falls back to ``weights_only=False``.
"""
import inspect

import mmengine
import torch
from mmengine.utils import digit_version

from ..fileio.allow_list import allowed_globals

# The mmengine line this was written for; 0.10.7 still has the bug.
WRITTEN_FOR = ('0.10.0', '0.11.0')


def needed() -> bool:
    """mmengine 0.10.x under a torch whose ``load`` is weights-only by
    default."""
    lo, hi = (digit_version(v) for v in WRITTEN_FOR)
    if not lo <= digit_version(mmengine.__version__) < hi:
        return False
    if not hasattr(torch.serialization, 'add_safe_globals'):
        return False
    # torch >= 2.6 defaults ``weights_only`` to None, then True.
    default = inspect.signature(torch.load).parameters['weights_only']
    return default.default is None and digit_version(
        torch.__version__.split('+')[0]) >= digit_version('2.6.0')


def apply() -> bool:
    """Register the allow-list. Returns True if it was needed."""
    if not needed():
        return False
    torch.serialization.add_safe_globals(allowed_globals())
    return True
