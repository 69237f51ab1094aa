"""Weight-space tools: ViFi-CLIP checkpoint import, WiSE-FT, averaging.

Used by ``tools/convert_vificlip.py``, ``tools/wise_ft.py`` and
``tools/average_checkpoints.py``; every file is read weights-only and
every output is written atomically.
"""
from .average import average_checkpoint_files, average_states
from .checkpoint_io import load_state, save_atomic
from .keymap import place_clip_keys, vificlip_to_open_clip
from .vificlip_convert import (convert_vificlip, convert_vificlip_file,
                               vificlip_model_cfg)
from .vificlip_reader import read_vificlip
from .wise_ft import check_alpha, interpolate, wise_ft_file

__all__ = [
    'average_checkpoint_files', 'average_states', 'check_alpha',
    'convert_vificlip', 'convert_vificlip_file', 'interpolate',
    'load_state', 'place_clip_keys', 'read_vificlip', 'save_atomic',
    'vificlip_model_cfg', 'vificlip_to_open_clip', 'wise_ft_file'
]
