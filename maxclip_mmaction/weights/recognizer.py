"""A recognizer's keys and shapes without its weights, and CLIP weights
by path or tag."""
import copy
import os.path as osp
from typing import Optional, Union

import torch
from mmaction.registry import MODELS
from mmengine.config import Config, ConfigDict
from mmengine.registry import DefaultScope

from ..models.clip_utils import check_pretrained, load_clip_state_dict


def _plain_cfg(cfg) -> dict:
    if isinstance(cfg, (Config, ConfigDict)):
        cfg = cfg.to_dict()
    return copy.deepcopy(dict(cfg))


def build_skeleton(model_cfg: dict) -> torch.nn.Module:
    """Build ``model_cfg`` on the meta device: its ``state_dict`` gives
    every key, shape and dtype, and no weight is allocated or loaded."""
    cfg = _plain_cfg(model_cfg)
    for part in ('backbone', 'cls_head'):
        if isinstance(cfg.get(part), dict):
            cfg[part]['pretrained'] = None
            if part == 'cls_head' and 'class_names' in cfg[part]:
                cfg[part]['class_names'] = None
    preprocessor = cfg.pop('data_preprocessor', None)
    # the scope configs set with default_scope = 'mmaction'
    with DefaultScope.overwrite_default_scope('mmaction'):
        with torch.device('meta'):
            model = MODELS.build(cfg)
        if preprocessor is not None:
            # Built for real: its random augmentations draw from
            # distributions whose constructors read tensor values, which
            # meta tensors do not have. It holds few or no weights.
            model.data_preprocessor = MODELS.build(preprocessor)
    return model


def clip_arch_of(model_cfg: dict) -> Union[str, dict]:
    """The ``clip_arch`` a recognizer config's head (or backbone) names."""
    cfg = _plain_cfg(model_cfg)
    for part in ('cls_head', 'backbone'):
        arch = (cfg.get(part) or {}).get('clip_arch')
        if arch is not None:
            return arch
    raise ValueError('the model config names no clip_arch in cls_head or '
                     'backbone')


def pretrained_of(model_cfg: dict) -> Optional[str]:
    """The CLIP weights a recognizer config names (head, then backbone)."""
    cfg = _plain_cfg(model_cfg)
    for part in ('cls_head', 'backbone'):
        pretrained = (cfg.get(part) or {}).get('pretrained')
        if pretrained is not None:
            return pretrained
    return None


def load_clip(spec: str, arch: Union[str, dict]) -> dict:
    """A CLIP state dict in open_clip's key names from a file (CLIP state
    dict, OpenAI JIT archive, a recognizer checkpoint of this package) or
    an open_clip tag for ``arch`` (downloaded by open_clip). Weights-only.
    """
    name = arch if isinstance(arch, str) else None
    if name is None and not osp.isfile(spec):
        raise ValueError(f'{spec!r} is not a file, and an open_clip tag '
                         f'needs an open_clip model name (--arch, or the '
                         f'config\'s clip_arch), got {arch!r}')
    info = dict(name=name, pretrained=spec, kind=check_pretrained(spec, name))
    return load_clip_state_dict(info)
