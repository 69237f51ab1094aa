"""File reading and writing shared by models, hooks and tools."""
from .checkpoint_loaders import weights_only_checkpoints
from .safe_load import refusal_message, safe_jit_load, safe_load

__all__ = [
    'refusal_message', 'safe_jit_load', 'safe_load', 'weights_only_checkpoints'
]
