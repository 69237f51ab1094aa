from . import atomic_checkpoint, safe_checkpoint_loader  # noqa: F401
from .atomic_checkpoint import find_resumable_checkpoint
from .hooks import *  # noqa: F401,F403
from .schedulers import *  # noqa: F401,F403

__all__ = ['find_resumable_checkpoint']
