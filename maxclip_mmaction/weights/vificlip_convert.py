"""ViFi-CLIP checkpoint -> a checkpoint of this package's recognizer."""
import os.path as osp
from typing import Optional, Sequence, Union

import open_clip
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger

from ..datasets.class_names import load_class_names
from .checkpoint_io import save_atomic
from .keymap import TOKEN_EMBEDDING, place_clip_keys, vificlip_to_open_clip
from .recognizer import build_skeleton, clip_arch_of, load_clip, pretrained_of
from .vificlip_reader import config_value, read_vificlip

# Architectures ViFi-CLIP ran (its configs' MODEL.ARCH), as open_clip names.
_ARCHS = ('ViT-B-16', 'ViT-B-32', 'ViT-L-14', 'ViT-L-14-336')


def vificlip_model_cfg(arch: Union[str, dict], num_frames: int = 8) -> dict:
    """ViFi-CLIP as this package's recognizer: plain CLIP frames
    (``pool_layers=0``), mean over frames, ``'a photo of a {}.'``
    (ViFi-CLIP's default ``CTX_INIT``, ``utils/config.py`` L43)."""
    return dict(
        type='Recognizer3D',
        backbone=dict(type='MaxCLIPViT', clip_arch=arch, pretrained=None,
                      num_frames=num_frames, pool_layers=0),
        cls_head=dict(type='VideoTextHead', clip_arch=arch, pretrained=None,
                      templates=('a photo of a {}.', ), pooling='mean',
                      average_clips='prob'))


def infer_arch(info: dict, src: str) -> str:
    """The open_clip name of a ViFi-CLIP checkpoint's CLIP: its config's
    ``MODEL.ARCH`` (``'ViT-B/16'``), else the image tower's shapes."""
    arch = config_value(info, 'MODEL.ARCH')
    if isinstance(arch, str):
        name = arch.replace('/', '-')
        if open_clip.get_model_config(name) is not None:
            return name
    state = info['state']
    conv = state.get('image_encoder.conv1.weight')
    pos = state.get('image_encoder.positional_embedding')
    for name in _ARCHS:
        vcfg = open_clip.get_model_config(name)['vision_cfg']
        grid = vcfg['image_size'] // vcfg['patch_size']
        # conv1 (width, 3, patch, patch); one position per patch + class
        if conv is not None and pos is not None and \
                tuple(conv.shape[::2]) == (vcfg['width'], vcfg['patch_size']) \
                and pos.shape[0] == grid * grid + 1:
            return name
    raise ValueError(f'{src}: cannot tell which CLIP it holds (config '
                     f'MODEL.ARCH={arch!r}); pass --config with a config of '
                     f'this package for it')


def check_token_embedding(prompts: Optional[torch.Tensor],
                          token_embedding: torch.Tensor, src: str,
                          clip_src: str) -> None:
    """The CLIP weights must be those ViFi-CLIP embedded its prompts with.

    Every prompt starts with the start-of-text token and ends in padding
    (id 0), so two rows of the stored prompt embeddings are known without
    the class names. ViFi-CLIP casts them to the model dtype (fp16 for
    OpenAI's weights, ``trainers/vificlip.py`` L124), hence the tolerance.
    """
    if prompts is None or prompts.ndim != 3:
        return
    ids = open_clip.tokenize([''], context_length=prompts.shape[1])[0]
    sot, pad = int(ids[0]), int(ids[-1])
    if token_embedding.shape[0] <= sot or \
            token_embedding.shape[1] != prompts.shape[2]:
        raise ValueError(
            f'The token embedding of {clip_src} has shape '
            f'{tuple(token_embedding.shape)}, the prompts of {src} width '
            f'{prompts.shape[2]}: not the CLIP ViFi-CLIP started from')
    want = token_embedding[[sot, pad]].float()  # (2, D)
    got = prompts[:, [0, -1]].float()  # (C, 2, D)
    if not torch.allclose(got, want.expand_as(got), rtol=1e-3, atol=1e-5):
        diff = (got - want).abs().max().item()
        raise ValueError(
            f'The token embedding of {clip_src} is not the one {src} '
            f'embedded its prompts with (largest difference {diff:.3g}); '
            f'pass --clip with the CLIP weights ViFi-CLIP was trained from '
            f'(OpenAI\'s for its released checkpoints)')


def _check_is_vificlip(model, info: dict) -> None:
    """Warn when the target model would not score as ViFi-CLIP does."""
    logger = MMLogger.get_current_instance()
    pool = getattr(model.backbone, 'pool_layers', 0)
    pooling = getattr(model.cls_head, 'pooling', 'mean')
    if pool != 0 or pooling != 'mean':
        logger.warning(f'The weights load, but this model is not '
                       f'ViFi-CLIP (pool_layers={pool}, pooling={pooling!r}'
                       f'; ViFi-CLIP is 0 and \'mean\'): its scores differ '
                       f'from ViFi-CLIP\'s until it is fine-tuned')
    ctx = config_value(info, 'TRAINER.ViFi_CLIP.CTX_INIT')
    templates = tuple(getattr(model.cls_head, 'templates', ()))
    if isinstance(ctx, str) and templates and \
            templates != (ctx.replace('_', ' ') + ' {}.', ):
        logger.warning(f'ViFi-CLIP prompted with {ctx!r} + class name + '
                       f'"."; this model\'s templates are {templates}')


def convert_vificlip(info: dict, src: str, model: torch.nn.Module,
                     token_embedding: torch.Tensor,
                     class_names: Optional[Sequence[str]] = None) -> dict:
    """Build the checkpoint of ``model`` (a skeleton from
    :func:`build_skeleton`) holding the ViFi-CLIP weights in ``info``.

    Raises:
        ValueError: naming the keys when the model has weights ViFi-CLIP
            does not provide, ViFi-CLIP has weights the model cannot take,
            or their shapes differ.
    """
    clip = vificlip_to_open_clip(info['state'], src)
    clip[TOKEN_EMBEDDING] = token_embedding
    if class_names is not None:
        model.cls_head.set_class_names(list(class_names))
    target = model.state_dict()
    where = place_clip_keys(clip, target, src)  # model key -> CLIP key
    placed = {k: clip[c] for k, c in where.items()}
    # the token embedding is ours to offer, not ViFi-CLIP's to place
    unused = sorted(set(clip) - set(where.values()) - {TOKEN_EMBEDDING})
    missing = [k for k in target
               if k not in placed and not k.endswith('_extra_state')]
    bad = [f'{k}: {tuple(v.shape)} vs model {tuple(target[k].shape)}'
           for k, v in placed.items() if v.shape != target[k].shape]
    if unused or missing or bad:
        raise ValueError(
            f'{src} does not fit this model:' +
            (f'\n  model keys it has no weights for: {missing}'
             if missing else '') +
            (f'\n  its weights with no place in the model: {unused}'
             if unused else '') +
            (f'\n  shape mismatches: {bad}' if bad else ''))
    state = {}
    for key, ref in target.items():
        value = placed.get(key, ref)  # extra state: the model's own
        if value.is_floating_point():
            value = value.detach().to('cpu', ref.dtype).clone()
        state[key] = value
    _check_is_vificlip(model, info)
    meta = dict(converted_from=dict(
        format='ViFi-CLIP', file=osp.basename(src),
        epoch=_number(info.get('epoch')),
        max_accuracy=_number(info.get('max_accuracy')),
        arch=config_value(info, 'MODEL.ARCH'),
        num_frames=config_value(info, 'DATA.NUM_FRAMES'),
        dataset=config_value(info, 'DATA.DATASET'),
        label_list=config_value(info, 'DATA.LABEL_LIST')))
    if class_names is not None:
        meta['dataset_meta'] = dict(classes=list(class_names))
    return dict(meta=meta, state_dict=state)


def _number(value):
    return None if value is None else float(value)


def convert_vificlip_file(src: str, dst: str, config: Optional[str] = None,
                          clip: Optional[str] = None,
                          class_names: Optional[str] = None) -> dict:
    """What ``tools/convert_vificlip.py`` does; returns the checkpoint.

    Args:
        src: ViFi-CLIP checkpoint.
        dst: output path, written atomically.
        config: a config of this package whose model to write for; None
            builds ViFi-CLIP's (:func:`vificlip_model_cfg`) for the CLIP
            the checkpoint holds.
        clip: CLIP weights (file or open_clip tag) for the token embedding
            ViFi-CLIP never trains; None takes what ``config`` names, else
            ``'openai'``.
        class_names: label file (or list) stored in the checkpoint.
    """
    # the small inputs first: a bad one fails before SRC is read
    model_cfg = Config.fromfile(config).model if config is not None \
        else None
    names = load_class_names(class_names) if class_names is not None \
        else None
    info = read_vificlip(src)
    if model_cfg is None:
        model_cfg = vificlip_model_cfg(infer_arch(info, src))
    clip = clip or pretrained_of(model_cfg) or 'openai'
    token = load_clip(clip, clip_arch_of(model_cfg)).get(TOKEN_EMBEDDING)
    if token is None:
        raise ValueError(f'{clip} holds no {TOKEN_EMBEDDING!r}: pass --clip '
                         f'with a whole CLIP (text tower included)')
    check_token_embedding(info['prompt_embeddings'], token, src, clip)
    ckpt = convert_vificlip(info, src, build_skeleton(model_cfg), token,
                            names)
    save_atomic(ckpt, dst)
    return ckpt
