"""Read a ViFi-CLIP checkpoint weights-only.

ViFi-CLIP's ``epoch_saving`` (``utils/tools.py`` L46-56) writes
``{'model', 'optimizer', 'lr_scheduler', 'max_accuracy', 'epoch',
'config'}`` with ``torch.save``. ``model`` is the state dict of the
``DistributedDataParallel`` wrapper (``main.py`` L78), so every key starts
with ``module.``; ``config`` is the run's yacs ``CfgNode``
(``utils/config.py`` L3-5), the one entry a weights-only load refuses.

A ``CfgNode`` pickles as ``NEWOBJ`` of ``yacs.config.CfgNode``, its items,
and a ``BUILD`` of four attributes (a bool, a set, a dict, a bool). The
allow-list gets exactly one extra name, ``yacs.config.CfgNode``, bound to
a stand-in that returns an empty ``OrderedDict``: the unpickler fills it
as it fills any dict, yacs is neither imported nor run, and any other
global (a pickled callable, say) is refused as everywhere else.
"""
from collections import OrderedDict
from typing import Optional

import torch

from ..fileio import safe_load
from .checkpoint_io import strip_module_prefix

_CFG_NODE = 'yacs.config.CfgNode'
_MODEL_KEYS = ('model', 'state_dict')


class _CfgNodeStandIn:
    """Builds a plain ``OrderedDict`` where the pickle asks for a yacs
    ``CfgNode``; its arguments are ignored."""

    def __new__(cls, *args, **kwargs):
        return OrderedDict()


def _plain(value):
    """Nested config dicts -> plain dicts (the stand-ins' attributes go)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def _get(cfg: dict, dotted: str):
    for part in dotted.split('.'):
        if not isinstance(cfg, dict) or part not in cfg:
            return None
        cfg = cfg[part]
    return cfg


def read_vificlip(path: str) -> dict:
    """Load a ViFi-CLIP checkpoint weights-only.

    Returns a dict with ``state`` (model tensors, ``module.`` stripped),
    ``config`` (the run's config as plain dicts, or None), ``epoch`` and
    ``max_accuracy`` (or None), and ``prompt_embeddings`` (the
    ``complete_text_embeddings`` buffer, ``(C, 77, D)``, or None).

    Raises:
        RuntimeError: the file holds anything outside the allow-list.
        ValueError: naming the top-level keys found when the layout is not
            ViFi-CLIP's.
    """
    with torch.serialization.safe_globals([(_CfgNodeStandIn, _CFG_NODE)]):
        ckpt = safe_load(path)
    state = None
    if isinstance(ckpt, dict):
        for key in _MODEL_KEYS:
            if isinstance(ckpt.get(key), dict):
                state = ckpt[key]
                break
        else:
            if ckpt and all(isinstance(v, torch.Tensor)
                            for v in ckpt.values()):
                state = ckpt  # a bare model state dict
    if not state:
        found = sorted(map(str, ckpt))[:10] if isinstance(ckpt, dict) \
            else type(ckpt).__name__
        raise ValueError(
            f'{path}: not a ViFi-CLIP checkpoint: expected a dict with a '
            f'"model" state dict (ViFi-CLIP utils/tools.py L47) or a bare '
            f'state dict; found {found}')
    extra = {} if state is ckpt else ckpt
    state = strip_module_prefix(dict(state))
    config = extra.get('config')
    return dict(
        state=state,
        config=_plain(config) if isinstance(config, dict) else None,
        epoch=extra.get('epoch'),
        max_accuracy=extra.get('max_accuracy'),
        prompt_embeddings=state.get(
            'prompt_learner.complete_text_embeddings'))


def config_value(info: dict, dotted: str) -> Optional[object]:
    """``info['config']`` entry such as ``'MODEL.ARCH'``, or None."""
    return _get(info.get('config') or {}, dotted)
