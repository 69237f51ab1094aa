"""Analytic FLOPs and parameter counts of ``MaxCLIPViT``, and a counter.

Convention (the one ``torch.utils.flop_counter.FlopCounterMode`` uses, so
the formula can be checked against it exactly): one multiply-add is 2 FLOPs,
and only matrix products are counted: the patch-embedding convolution, the
linear layers (q/k/v, attention output, MLP, final projection) and the two
products inside scaled-dot-product attention (``q k^T`` and ``attn v``).
Biases, LayerNorm, softmax, GELU, residual adds, LayerScale and the temporal
max itself are elementwise and not counted (< 1% of a ViT-B/16's total).
Papers that report fvcore's "FLOPs" count one multiply-add as 1: divide by 2
(``macs``) to compare with them.

The count is per view: the image tower on one clip of T frames. The text
tower runs once per class set (cached at test time) and is not included.
"""
from typing import Optional, Union

import torch
import torch.nn as nn
from torch.utils import flop_counter
from torch.utils.flop_counter import FlopCounterMode

from ..models.clip_utils import resolve_arch


def _block_flops(frames: int, tokens: int, width: int, mlp_width: int) -> dict:
    """FLOPs of one transformer block's parts on ``frames`` frames."""
    rows = frames * tokens  # (F*N, D) token rows go through the linears
    return dict(
        qkv=2 * rows * width * 3 * width,
        # q k^T and attn v, each (N, D) x (D, N) per frame, all heads.
        sdpa=2 * 2 * frames * tokens * tokens * width,
        attn_out=2 * rows * width * width,
        mlp=2 * 2 * rows * width * mlp_width)


def vit_video_flops(width: int,
                    layers: int,
                    mlp_ratio: float = 4.0,
                    tokens: Optional[int] = None,
                    frames: int = 8,
                    pool_layers: int = 0,
                    position: str = 'after',
                    patch: int = 16,
                    image_size: int = 224,
                    embed_dim: Optional[int] = 512,
                    breakdown: bool = False) -> Union[int, dict]:
    """FLOPs of ``MaxCLIPViT``'s image tower on one clip (one view).

    Block ``k`` of the last ``s`` blocks enters with ``T + k`` frames; with
    ``position='after'`` its attention runs on ``T + k`` frames and its MLP
    on ``T + k + 1`` (the pooled frame is appended in between); with
    ``'before'`` the whole block runs on ``T + k + 1`` frames. The patch
    embedding runs on the ``T`` input frames only, the projection on all
    ``T + s`` class tokens.

    Args:
        width (int): D, the tower's width.
        layers (int): L, number of blocks.
        mlp_ratio (float): MLP hidden width over D. Defaults to 4.0.
        tokens (int, optional): N, tokens per frame; None derives
            ``(image_size // patch) ** 2 + 1``. Defaults to None.
        frames (int): T, input frames. Defaults to 8.
        pool_layers (int): s, pooling blocks (0 <= s <= L). Defaults to 0.
        position (str): ``'after'`` or ``'before'``. Defaults to 'after'.
        patch (int): patch size. Defaults to 16.
        image_size (int): input side in pixels. Defaults to 224.
        embed_dim (int, optional): E, output projection width; None for a
            tower without projection. Defaults to 512.
        breakdown (bool): return a dict of parts (``patch_embed``, ``qkv``,
            ``sdpa``, ``attn_out``, ``mlp``, ``proj``, ``total``) instead of
            the total. Defaults to False.

    Returns:
        int | dict: FLOPs (2 per multiply-add), or the breakdown.
    """
    if not 0 <= pool_layers <= layers:
        raise ValueError(f'pool_layers must be in [0, {layers}], got '
                         f'{pool_layers}')
    if position not in ('after', 'before'):
        raise ValueError(f"position must be 'after' or 'before', got "
                         f'{position!r}')
    grid = image_size // patch
    tokens = grid * grid + 1 if tokens is None else tokens
    mlp_width = int(width * mlp_ratio)  # as open_clip sizes c_fc
    parts = dict(
        patch_embed=2 * frames * grid * grid * 3 * patch * patch * width,
        qkv=0,
        sdpa=0,
        attn_out=0,
        mlp=0)
    for layer in range(layers):
        k = layer - (layers - pool_layers)  # index among pooled blocks
        f_in = frames + max(k, 0)
        f_mlp = f_in + 1 if k >= 0 else f_in
        f_attn = f_mlp if position == 'before' else f_in
        attn = _block_flops(f_attn, tokens, width, mlp_width)
        mlp = _block_flops(f_mlp, tokens, width, mlp_width)
        for key in ('qkv', 'sdpa', 'attn_out'):
            parts[key] += attn[key]
        parts['mlp'] += mlp['mlp']
    out_frames = frames + pool_layers
    parts['proj'] = 2 * out_frames * width * embed_dim if embed_dim else 0
    parts['total'] = sum(parts.values())
    return parts if breakdown else parts['total']


def arch_dims(clip_arch: Union[str, dict]) -> dict:
    """Keyword arguments of :func:`vit_video_flops` for an open_clip arch.

    Args:
        clip_arch (str | dict): open_clip model name or config dict.
    """
    cfg, _ = resolve_arch(clip_arch)
    vision = cfg['vision_cfg']
    return dict(
        width=vision['width'],
        layers=vision['layers'],
        mlp_ratio=vision.get('mlp_ratio', 4.0),
        patch=vision['patch_size'],
        image_size=vision['image_size'],
        embed_dim=cfg['embed_dim'])


def arch_flops(clip_arch: Union[str, dict],
               frames: int,
               pool_layers: int,
               position: str = 'after') -> int:
    """:func:`vit_video_flops` for an open_clip model name or config."""
    return vit_video_flops(
        frames=frames,
        pool_layers=pool_layers,
        position=position,
        **arch_dims(clip_arch))


def _sdpa_fwd(query, key, value, *args, out_shape=None, **kwargs):
    """Forward attention FLOPs from (q, k, v) shapes (torch's formula)."""
    return flop_counter.sdpa_flop_count(query, key, value)


def _sdpa_bwd(grad_out, query, key, value, *args, out_shape=None, **kwargs):
    """Backward attention FLOPs from shapes (torch's formula)."""
    return flop_counter.sdpa_backward_flop_count(grad_out, query, key, value)


def _cpu_sdpa_mapping() -> dict:
    """Counter formulas for the CPU flash-attention ops, where torch lacks
    them.

    On CPU, ``scaled_dot_product_attention`` dispatches to
    ``aten._scaled_dot_product_flash_attention_for_cpu``; torch 2.14's
    ``FlopCounterMode`` has no formula for it and counts the attention as
    0 (the meta device takes another path and is counted). Its leading
    arguments are (q, k, v), as for the CUDA flash op, so torch's own SDPA
    count applies. An op torch already knows keeps torch's entry.
    """
    mapping = {}
    pairs = (('_scaled_dot_product_flash_attention_for_cpu', _sdpa_fwd),
             ('_scaled_dot_product_flash_attention_for_cpu_backward',
              _sdpa_bwd))
    for name, formula in pairs:
        op = getattr(torch.ops.aten, name, None)
        if op is not None and op not in flop_counter.flop_registry:
            mapping[op] = formula
    return mapping


def count_flops(model: nn.Module, *inputs: torch.Tensor) -> int:
    """FLOPs of ``model(*inputs)`` as ``FlopCounterMode`` counts them.

    ``nn.MultiheadAttention``'s inference fast path calls one fused op
    (``_native_multi_head_attention``) that the counter does not know, so
    it would miss the attention; the fast path is switched off while
    counting. The CPU flash-attention op gets torch's SDPA formula where
    torch's counter lacks it (see :func:`_cpu_sdpa_mapping`). Works on the
    ``meta`` device (no compute, any model size).
    """
    was_enabled = torch.backends.mha.get_fastpath_enabled()
    torch.backends.mha.set_fastpath_enabled(False)
    counter = FlopCounterMode(
        display=False, custom_mapping=_cpu_sdpa_mapping())
    try:
        with counter, torch.no_grad():
            model(*inputs)
    finally:
        torch.backends.mha.set_fastpath_enabled(was_enabled)
    return counter.get_total_flops()


def count_params(module: nn.Module) -> int:
    """Number of parameters (trainable or not)."""
    return sum(p.numel() for p in module.parameters())
