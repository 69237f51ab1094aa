"""WiSE-FT: a weight-space ensemble of zero-shot CLIP and a fine-tuned
recognizer, ``(1 - a) * zero-shot + a * fine-tuned`` tensor by tensor."""
import math
import numbers
import os.path as osp
from typing import Optional, Tuple, Union

import torch
from mmengine.config import Config
from mmengine.logging import MMLogger

from .checkpoint_io import load_state, save_atomic
from .keymap import place_clip_keys
from .recognizer import clip_arch_of, load_clip, pretrained_of


def check_alpha(alpha) -> float:
    """``alpha`` as a float in [0, 1], or a ValueError naming it."""
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or \
            not math.isfinite(alpha) or not 0 <= alpha <= 1:
        raise ValueError(f'alpha (the fine-tuned weight) must be a number '
                         f'in [0, 1], got {alpha!r}')
    return float(alpha)


def _mix(zero_shot: torch.Tensor, fine_tuned: torch.Tensor,
         alpha: float) -> torch.Tensor:
    # The endpoints return an input as it is: 0 * inf is nan, and
    # -0.0 + 0.0 is +0.0, so the formula alone is not bit-exact there.
    if alpha == 0:
        return zero_shot.to(fine_tuned.dtype).clone()
    if alpha == 1:
        return fine_tuned.clone()
    mixed = (1 - alpha) * zero_shot.double() + alpha * fine_tuned.double()
    return mixed.to(fine_tuned.dtype)


def interpolate(zero_shot: dict, fine_tuned: dict, alpha) -> dict:
    """Mix two state dicts keyed alike.

    Floating-point tensors present in both are mixed; everything else
    (integer buffers, the head's class-name extra state, keys zero-shot
    CLIP has no counterpart for) is the fine-tuned checkpoint's.

    Raises:
        ValueError: alpha outside [0, 1], or a shape mismatch (named).
    """
    alpha = check_alpha(alpha)
    out = {}
    for key, ft in fine_tuned.items():
        zs = zero_shot.get(key)
        if zs is None or not ft.is_floating_point() or \
                not zs.is_floating_point():
            out[key] = ft.clone()
            continue
        if zs.shape != ft.shape:
            raise ValueError(f'{key}: zero-shot {tuple(zs.shape)} vs '
                             f'fine-tuned {tuple(ft.shape)}')
        out[key] = _mix(zs, ft, alpha)
    return out


def trained_from(meta: dict, src: str) -> Tuple[str, Union[str, dict]]:
    """(pretrained, clip_arch) of the config the Runner saved in
    ``meta['cfg']``: the CLIP a checkpoint was fine-tuned from."""
    try:
        model = Config.fromstring(meta['cfg'], '.py').model
        return pretrained_of(model), clip_arch_of(model)
    except Exception as err:  # absent, or text mmengine cannot parse
        raise ValueError(
            f'{src}: its meta holds no readable config naming the CLIP it '
            f'was fine-tuned from ({type(err).__name__}: {err}); pass '
            f'--zero-shot (and --arch for a tag)') from None


def wise_ft_file(fine_tuned: str, dst: str, alpha,
                 zero_shot: Optional[str] = None,
                 arch: Optional[Union[str, dict]] = None) -> dict:
    """What ``tools/wise_ft.py`` does; returns the checkpoint written.

    Args:
        fine_tuned: a checkpoint of this package's recognizer.
        dst: output path, written atomically.
        alpha: weight of the fine-tuned model, in [0, 1].
        zero_shot: CLIP weights: a file (CLIP state dict, OpenAI JIT
            archive, or a recognizer checkpoint of this package) or an
            open_clip tag (needs ``arch``). None: the ``pretrained`` of
            the config saved in the checkpoint.
        arch: open_clip model name, for a tag; None: the saved config's.
    """
    alpha = check_alpha(alpha)
    state, meta = load_state(fine_tuned)
    if zero_shot is None or (arch is None and not osp.isfile(zero_shot)):
        pretrained, saved_arch = trained_from(meta, fine_tuned)
        zero_shot = zero_shot or pretrained
        arch = arch or saved_arch
        if zero_shot is None:
            raise ValueError(f'{fine_tuned}: its config names no '
                             f'pretrained CLIP; pass --zero-shot')
    clip = load_clip(zero_shot, arch)
    where = place_clip_keys(clip, state, zero_shot)  # ours -> CLIP's
    if not where:
        raise ValueError(f'No key of {zero_shot} fits {fine_tuned}')
    placed = {k: clip[c] for k, c in where.items()}
    kept = [k for k, v in state.items()
            if v.is_floating_point() and k not in placed]
    if kept:
        MMLogger.get_current_instance().warning(
            f'{zero_shot} has no weights for {kept}: kept as fine-tuned')
    ckpt = dict(meta=dict(meta), state_dict=interpolate(placed, state,
                                                        alpha))
    ckpt['meta']['wise_ft'] = dict(alpha=alpha, zero_shot=str(zero_shot),
                                   fine_tuned=osp.basename(fine_tuned))
    save_atomic(ckpt, dst)
    return ckpt
