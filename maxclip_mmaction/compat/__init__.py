"""Version-guarded fixes for known upstream breakages.

Each module fixes one upstream bug, checks whether the bug is present before
touching anything, and can be deleted the day upstream ships the fix. They
run on ``import maxclip_mmaction``, before anything imports
``mmaction.models``.
"""
from .importlib_metadata_shim import apply as _apply_importlib_metadata
from .mmaction_drn import apply as _apply_mmaction_drn
from .torch_load import apply as _apply_torch_load

_apply_importlib_metadata()
_apply_mmaction_drn()
_apply_torch_load()

__all__ = []
