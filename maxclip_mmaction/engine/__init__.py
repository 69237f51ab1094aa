from .atomic_checkpoint import atomic_write, find_resumable_checkpoint
from .hooks import *  # noqa: F401,F403
from .schedulers import *  # noqa: F401,F403

__all__ = ['atomic_write', 'find_resumable_checkpoint']
