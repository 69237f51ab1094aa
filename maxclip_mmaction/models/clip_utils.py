"""Build open_clip CLIP towers and load their weights, offline-first.

Shared by ``MaxCLIPViT`` (image tower) and ``VideoTextHead`` (text tower), so
both accept the same ``clip_arch`` / ``pretrained`` forms and read the
two halves of one file. Each builds only its own tower, with the builders
open_clip's ``CLIP`` itself calls.
"""
import copy
import os.path as osp
import zipfile
from typing import Optional, Tuple, Union

import numpy as np
import open_clip
import torch
from mmengine.logging import MMLogger

try:
    # The builders open_clip's own CLIP calls: each tower alone, without
    # building (and drawing the random init of) the other one.
    from open_clip.model import _build_text_tower, _build_vision_tower
except ImportError:  # private names; an open_clip release may move them
    _build_text_tower = _build_vision_tower = None

from ..fileio import safe_load
from ..fileio import safe_jit_load

# Keys OpenAI's archives carry that are not parameters of open_clip's CLIP.
_OPENAI_EXTRA_KEYS = ('input_resolution', 'context_length', 'vocab_size')
_WEIGHT_SUFFIXES = ('.pt', '.pth', '.bin', '.safetensors', '.ckpt')


def resolve_arch(clip_arch: Union[str, dict]) -> Tuple[dict, Optional[str]]:
    """Return (open_clip model config, model name or None)."""
    if isinstance(clip_arch, dict):
        missing = {'embed_dim', 'vision_cfg', 'text_cfg'} - set(clip_arch)
        if missing:
            raise ValueError(f'clip_arch dict lacks {sorted(missing)}; it '
                             f'must be in open_clip model-config format')
        return copy.deepcopy(dict(clip_arch)), None
    if not isinstance(clip_arch, str):
        raise TypeError(f'clip_arch must be an open_clip model name or a '
                        f'config dict, got {type(clip_arch).__name__}')
    cfg = open_clip.get_model_config(clip_arch)
    if cfg is None:
        raise ValueError(f'Unknown open_clip model name clip_arch='
                         f'{clip_arch!r}; see open_clip.list_models()')
    return copy.deepcopy(cfg), clip_arch


def is_jit_archive(path: str) -> bool:
    """OpenAI's released ``.pt`` files are TorchScript archives."""
    if not zipfile.is_zipfile(path):
        return False
    with zipfile.ZipFile(path) as zf:
        return any(n.endswith('constants.pkl') or '/code/' in n
                   for n in zf.namelist())


def check_pretrained(pretrained: Optional[str],
                     model_name: Optional[str]) -> Optional[str]:
    """Classify ``pretrained`` at build time: None, 'file' or 'tag'.

    Raises before any training starts when a file is missing or a tag is
    unknown, instead of failing in ``init_weights`` much later.
    """
    if pretrained is None:
        return None
    if not isinstance(pretrained, str):
        raise TypeError(f'pretrained must be None, a tag or a path, got '
                        f'{type(pretrained).__name__}')
    looks_like_path = (osp.sep in pretrained
                       or pretrained.endswith(_WEIGHT_SUFFIXES))
    if osp.isfile(pretrained):
        return 'file'
    if looks_like_path:
        raise FileNotFoundError(
            f'pretrained weights file not found: {pretrained!r}')
    if model_name is None:
        raise ValueError(
            f'pretrained={pretrained!r} is neither an existing file nor '
            f'usable as a tag: tags need clip_arch to be an open_clip model '
            f'name, not a dict')
    if not open_clip.get_pretrained_cfg(model_name, pretrained):
        tags = open_clip.list_pretrained_tags_by_model(model_name)
        raise ValueError(f'Unknown pretrained tag {pretrained!r} for '
                         f'{model_name}; known tags: {tags}')
    return 'tag'


def uses_quick_gelu(cfg: dict, pretrained: Optional[str],
                    kind: Optional[str],
                    model_name: Optional[str] = None) -> bool:
    """Whether the weights were trained with QuickGELU.

    OpenAI's were (tag ``'openai'`` or a JIT archive), and open_clip marks
    other tags that were too (``dfn2b``, ``metaclip_400m``, ... on the plain
    ``ViT-B-16`` / ``ViT-L-14`` names) with ``quick_gelu`` in their
    pretrained config; running them with GELU silently costs accuracy.
    Otherwise the architecture config decides.
    """
    if pretrained == 'openai':
        return True
    if kind == 'file' and is_jit_archive(pretrained):
        return True
    if kind == 'tag' and model_name is not None and \
            open_clip.get_pretrained_cfg(model_name, pretrained).get(
                'quick_gelu', False):
        return True
    return bool(cfg.get('quick_gelu', False))


def _tower_cfg(clip_arch: Union[str, dict], pretrained: Optional[str],
               quick_gelu: Optional[bool]) -> Tuple[dict, bool, dict]:
    """(open_clip config, quick_gelu, info for the weights loading)."""
    cfg, name = resolve_arch(clip_arch)
    kind = check_pretrained(pretrained, name)
    if quick_gelu is None:
        quick_gelu = uses_quick_gelu(cfg, pretrained, kind, name)
    cfg.pop('quick_gelu', None)
    cfg.pop('custom_text', None)
    if 'hf_model_name' in cfg.get('text_cfg', {}):
        raise ValueError(f'{clip_arch}: Hugging Face text towers are not '
                         f'supported; use a CLIP with its own text tower')
    info = dict(name=name, pretrained=pretrained, kind=kind)
    return cfg, quick_gelu, info


def build_clip(clip_arch: Union[str, dict],
               pretrained: Optional[str] = None,
               quick_gelu: Optional[bool] = None):
    """Build a randomly initialised open_clip ``CLIP`` for ``clip_arch``.

    Both towers, for tools that need the whole model (FLOPs, benchmarks).
    Returns (model, info) where ``info`` records what
    ``load_clip_state_dict`` needs later.
    """
    cfg, quick_gelu, info = _tower_cfg(clip_arch, pretrained, quick_gelu)
    return open_clip.CLIP(**cfg, quick_gelu=quick_gelu), info


def _both_towers(cfg: dict, quick_gelu: bool) -> torch.nn.Module:
    """open_clip's public ``CustomTextCLIP``: both towers, as ``.visual``
    and ``.text``, for an open_clip without the private tower builders.

    The caller keeps one tower; building the other costs time and memory
    once, and the random init differs from the one-tower build (loaded
    weights are the same either way).
    """
    MMLogger.get_current_instance().warning(
        'open_clip has no _build_vision_tower/_build_text_tower: building '
        'both CLIP towers to keep one')
    return open_clip.CustomTextCLIP(cfg['embed_dim'],
                                    cfg['vision_cfg'],
                                    cfg['text_cfg'],
                                    quick_gelu=quick_gelu)


def build_image_tower(clip_arch: Union[str, dict],
                      pretrained: Optional[str] = None,
                      quick_gelu: Optional[bool] = None):
    """CLIP's image tower alone, randomly initialised: (tower, info)."""
    cfg, quick_gelu, info = _tower_cfg(clip_arch, pretrained, quick_gelu)
    if _build_vision_tower is None:
        return _both_towers(cfg, quick_gelu).visual, info
    visual = _build_vision_tower(cfg['embed_dim'], cfg['vision_cfg'],
                                 quick_gelu)
    return visual, info


def build_text_tower(clip_arch: Union[str, dict],
                     pretrained: Optional[str] = None,
                     quick_gelu: Optional[bool] = None):
    """CLIP's text tower alone, randomly initialised: (tower, info).

    ``info['init_logit_scale']`` is the temperature ``CLIP`` starts from.
    """
    cfg, quick_gelu, info = _tower_cfg(clip_arch, pretrained, quick_gelu)
    if cfg.get('init_logit_bias') is not None:
        raise ValueError(f'{clip_arch}: sigmoid-loss CLIPs (logit bias) '
                         f'are not supported; VideoTextHead scores with '
                         f'softmax over classes')
    if _build_text_tower is None:
        text = _both_towers(cfg, quick_gelu).text
    else:
        text = _build_text_tower(cfg['embed_dim'], cfg['text_cfg'],
                                 quick_gelu)
    info['init_logit_scale'] = cfg.get('init_logit_scale',
                                       float(np.log(1 / 0.07)))
    return text, info


def check_init_cfg(init_cfg, pretrained: Optional[str], owner: str) -> None:
    """Refuse ``pretrained`` together with a ``'Pretrained'`` ``init_cfg``.

    mmengine applies ``init_cfg`` (``BaseModule.init_weights``) and this
    package loads ``pretrained`` after it; two checkpoints for one module
    would leave it unclear which one trains.
    """
    cfgs = init_cfg if isinstance(init_cfg, (list, tuple)) else [init_cfg]
    for cfg in cfgs:
        if cfg is None:
            continue
        if not isinstance(cfg, dict) or 'type' not in cfg:
            raise TypeError(f'{owner}: init_cfg must be a dict with a '
                            f'type (or a list of them), got {cfg!r}')
        if cfg['type'] == 'Pretrained' and pretrained is not None:
            raise ValueError(
                f'{owner}: pretrained={pretrained!r} and init_cfg='
                f'{cfg!r} both name weights; give one of them')


def load_clip_state_dict(info: dict) -> dict:
    """Read the full CLIP state dict named by ``info`` (file or tag)."""
    path = info['pretrained']
    if info['kind'] == 'tag':
        pcfg = open_clip.get_pretrained_cfg(info['name'], path)
        path = open_clip.download_pretrained(pcfg)
    if is_jit_archive(path):
        # TorchScript archives load without unpickling Python objects;
        # one TorchScript refuses raises naming the file.
        state = safe_jit_load(path, map_location='cpu').state_dict()
    elif path.endswith('.safetensors'):
        from safetensors.torch import load_file
        state = load_file(path)
    else:
        state = safe_load(path)
    if isinstance(state, dict) and 'state_dict' in state:
        state = state['state_dict']
    if not isinstance(state, dict):
        raise TypeError(f'{path}: expected a CLIP state dict, got '
                        f'{type(state).__name__}')
    state = {k[len('module.'):] if k.startswith('module.') else k: v
             for k, v in state.items() if k not in _OPENAI_EXTRA_KEYS}
    return clip_keys(state, path)


def clip_keys(state: dict, src: str) -> dict:
    """Rename the two other layouts CLIP weights come in to open_clip's.

    * A checkpoint of a recognizer built from this package (what the
      Runner saves, e.g. Kinetics-400 weights to fine-tune from):
      ``backbone.visual.*`` and ``cls_head.clip.*``; its other keys (the
      head's projection, the class names in ``_extra_state``) are not
      CLIP's and are dropped.
    * A bare image-tower state dict (``visual.state_dict()``): ``conv1.*``,
      ``transformer.*``, ... without the ``visual.`` prefix.

    Anything else is returned as it is.
    """
    towers = {'backbone.visual.': 'visual.', 'cls_head.clip.': ''}
    if any(k.startswith(tuple(towers)) for k in state):
        MMLogger.get_current_instance().info(
            f'{src}: a recognizer checkpoint; reading its backbone.visual.* '
            f'and cls_head.clip.* keys')
        return {new + k[len(old):]: v for k, v in state.items()
                for old, new in towers.items()
                if k.startswith(old) and not k.endswith('_extra_state')}
    if 'conv1.weight' in state and 'token_embedding.weight' not in state:
        return {'visual.' + k: v for k, v in state.items()}
    return state


def _some(keys, n: int = 4) -> str:
    """A few keys of a dict, for an error message."""
    keys = list(keys)
    more = f', ... ({len(keys)} in all)' if len(keys) > n else ''
    return '(' + ', '.join(map(repr, keys[:n])) + more + ')'


def load_into(module: torch.nn.Module, state: dict, src: str,
              keep=lambda key: True, name: Optional[str] = None,
              file_keys: Optional[list] = None) -> None:
    """Load the keys of ``state`` that ``keep`` selects into ``module``.

    Missing and unexpected keys are logged; a shape mismatch, or a file
    none of whose keys fits, raises, rather than a silent ``strict=False``.
    ``name`` is the module as messages call it (default: its class);
    ``file_keys`` the file's keys for that message (default: ``state``'s).
    """
    logger = MMLogger.get_current_instance()
    name = name or type(module).__name__
    own = module.state_dict()
    picked = {k: v for k, v in state.items() if keep(k)}
    if not any(k in own for k in picked):
        # strict=False would load nothing and train from random init
        keys = _some(state if file_keys is None else file_keys)
        raise ValueError(
            f'No {name} weights in {src}: none of its keys {keys} '
            f'matches the model\'s {_some(own)}. Expected an open_clip CLIP '
            f'state dict (full, or visual.* only for the image tower) or a '
            f'checkpoint of a recognizer built from this package')
    bad = [f'{k}: file {tuple(v.shape)} vs model {tuple(own[k].shape)}'
           for k, v in picked.items()
           if k in own and tuple(v.shape) != tuple(own[k].shape)]
    if bad:
        raise ValueError(f'Shape mismatch loading {src} into {name}:\n  ' +
                         '\n  '.join(bad))
    result = module.load_state_dict(picked, strict=False)
    if result.missing_keys:
        logger.warning(f'{name}: keys missing from {src}: '
                       f'{result.missing_keys}')
    if result.unexpected_keys:
        logger.warning(f'{name}: unexpected keys in {src}: '
                       f'{result.unexpected_keys}')
    loaded = len(picked) - len(result.unexpected_keys)
    logger.info(f'{name}: loaded {loaded} tensors from {src}')
