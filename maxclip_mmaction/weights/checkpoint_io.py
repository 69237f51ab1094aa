"""Read this package's checkpoints weights-only; write them atomically."""
import io
from typing import Tuple

import torch

from ..engine.atomic_checkpoint import atomic_write
from ..fileio import safe_load


def _is_state_dict(obj) -> bool:
    return isinstance(obj, dict) and bool(obj) and all(
        isinstance(k, str) and isinstance(v, torch.Tensor)
        for k, v in obj.items())


def strip_module_prefix(state: dict) -> dict:
    """Drop the ``module.`` prefix DDP-wrapped models save, as mmengine's
    ``load_checkpoint`` does (its ``revise_keys`` default)."""
    if state and all(k.startswith('module.') for k in state):
        return {k[len('module.'):]: v for k, v in state.items()}
    return state


def load_state(path: str) -> Tuple[dict, dict]:
    """(state dict, meta) of a checkpoint the Runner saved, or of a bare
    state dict (meta ``{}``). Loading is weights-only.

    Raises:
        RuntimeError: the file holds objects outside the allow-list.
        ValueError: naming the file and its top-level keys when it is
            neither layout.
    """
    ckpt = safe_load(path)
    if isinstance(ckpt, dict) and isinstance(ckpt.get('state_dict'), dict):
        meta = ckpt.get('meta')
        return (strip_module_prefix(dict(ckpt['state_dict'])),
                dict(meta) if isinstance(meta, dict) else {})
    if _is_state_dict(ckpt):
        return strip_module_prefix(dict(ckpt)), {}
    found = sorted(ckpt)[:8] if isinstance(ckpt, dict) else \
        type(ckpt).__name__
    raise ValueError(f'{path}: expected a checkpoint with a "state_dict" '
                     f'entry or a bare state dict of tensors; found {found}')


def save_atomic(obj, path: str) -> None:
    """``torch.save`` that never leaves a partial file at ``path``.

    The bytes go through ``engine.atomic_checkpoint.atomic_write`` (a temp
    file in the same folder, then ``os.replace``), as the Runner's
    checkpoints do; they are built in memory first, so the peak is about
    twice the checkpoint's size.
    """
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    atomic_write(buffer.getbuffer(), path)
