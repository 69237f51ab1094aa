"""Version-guarded fixes for known upstream breakages.

Each module fixes one upstream bug, checks the upstream version it was
written for (and, where it can, that the bug is present) before touching
anything, and can be deleted the day upstream ships the fix. They run on
``import maxclip_mmaction``, before anything imports ``mmaction.models``.
Nothing else in the package changes global state on import.
"""
from .mmaction_drn import apply as _apply_mmaction_drn
from .mmengine_hub_weights_only import apply as _apply_hub_weights_only
from .mmengine_resume import apply as _apply_mmengine_resume

_apply_mmaction_drn()
_apply_mmengine_resume()
_apply_hub_weights_only()

__all__ = []
