"""MaxCLIPViT: CLIP's image tower with temporal token max-pooling."""
from typing import Optional, Union

import torch
import torch.nn as nn
from mmaction.registry import MODELS
from mmengine.model import BaseModule
from open_clip.transformer import VisionTransformer

from ..clip_utils import build_image_tower, check_init_cfg
from ..shared_weights import WeightsClaim, init_then_load
from .temporal_pool_block import TemporalMaxPoolBlock


def _check_int(name: str, value, low: int, high: Optional[int] = None,
               why: str = '') -> None:
    """Raise naming ``name`` unless ``value`` is an int in [low, high].

    bool is an int subclass: ``pool_layers=True`` would pass as 1.
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f'{name} must be an int, got {value!r} '
                        f'({type(value).__name__})')
    if value < low or (high is not None and value > high):
        span = f'>= {low}' if high is None else f'in [{low}, {high}]'
        raise ValueError(f'{name} must be an int {span}{why}, got '
                         f'{value!r}')


@MODELS.register_module()
class MaxCLIPViT(BaseModule):
    """open_clip's ``VisionTransformer`` run on every frame of a clip, with
    the last ``pool_layers`` blocks appending a max-pooled frame.

    Shapes use one alphabet: B batch (views folded in), T input frames,
    s pooled layers, N tokens per frame, D width, E embedding.

    Args:
        clip_arch (str | dict): open_clip model name (``'ViT-B-16'``) or a
            model config dict (``embed_dim``, ``vision_cfg``, ``text_cfg``).
        pretrained (str, optional): None (random init), an open_clip
            pretrained tag (``'openai'``), or a local file: a CLIP state
            dict (full model, ``visual.*`` keys, or the bare image tower's),
            a checkpoint of a recognizer built from this package, or an
            OpenAI JIT archive. A file none of whose keys fits raises.
            Loaded in :meth:`init_weights`. Defaults to None.
        num_frames (int): T, frames per clip. Defaults to 8.
        pool_layers (int): s, how many final blocks pool (0 <= s <= L).
            Defaults to 1.
        pool_position (str): ``'after'`` attention (default) or
            ``'before'`` the block.
        out_pool (str, optional): None returns frame embeddings
            ``(B, T + s, E)``; ``'max'`` / ``'mean'`` pool them to
            ``(B, E)`` for MMAction2's linear heads on Recognizer3D:
            ``I3DHead(spatial_type=None)``, ``TimeSformerHead``,
            ``UniFormerHead`` (``in_channels=E``). Defaults to None.
        grad_checkpointing (bool): recompute blocks in backward to save
            activation memory. Defaults to False.
        frozen_stages (int): -1 trains all; 0 freezes the patch/position
            embeddings and ``ln_pre``; k >= 1 also the first k blocks;
            L + 1 freezes the whole tower. Defaults to -1.
        quick_gelu (bool, optional): force the activation; None follows the
            arch, and OpenAI weights force QuickGELU. Defaults to None.
        init_cfg (dict | list, optional): mmengine's, applied by
            ``BaseModule.init_weights`` as in MMAction2 (e.g.
            ``dict(type='Pretrained', checkpoint=..., prefix='backbone.')``
            for a recognizer checkpoint); ``pretrained`` loads after it,
            and a ``'Pretrained'`` one with ``pretrained`` raises.
    """

    def __init__(self,
                 clip_arch: Union[str, dict] = 'ViT-B-16',
                 pretrained: Optional[str] = None,
                 num_frames: int = 8,
                 pool_layers: int = 1,
                 pool_position: str = 'after',
                 out_pool: Optional[str] = None,
                 grad_checkpointing: bool = False,
                 frozen_stages: int = -1,
                 quick_gelu: Optional[bool] = None,
                 init_cfg: Optional[dict] = None) -> None:
        check_init_cfg(init_cfg, pretrained, 'MaxCLIPViT')
        super().__init__(init_cfg=init_cfg)
        self.visual, info = build_image_tower(clip_arch, pretrained,
                                              quick_gelu)
        self._weights = WeightsClaim(info, owner=self)
        if not isinstance(self.visual, VisionTransformer):
            raise TypeError(f'{clip_arch}: MaxCLIPViT needs an open_clip '
                            f'VisionTransformer image tower, got '
                            f'{type(self.visual).__name__}')
        if self.visual.patch_dropout.__class__ is not nn.Identity:
            # Patch dropout keeps different patches in each frame, which
            # breaks the position-by-position max over frames.
            raise ValueError('patch_dropout must be 0 for MaxCLIPViT')
        blocks = self.visual.transformer.resblocks
        num_layers = len(blocks)
        _check_int('num_frames', num_frames, 1)
        _check_int('pool_layers', pool_layers, 0, num_layers,
                   f' for this {num_layers}-layer tower')
        if pool_position not in ('after', 'before'):
            raise ValueError(f"pool_position must be 'after' or 'before', "
                             f'got {pool_position!r}')
        if out_pool not in (None, 'max', 'mean'):
            raise ValueError(f"out_pool must be None, 'max' or 'mean', got "
                             f'{out_pool!r}')
        _check_int('frozen_stages', frozen_stages, -1, num_layers + 1,
                   f' for this {num_layers}-layer tower')
        if not isinstance(grad_checkpointing, bool):
            raise TypeError(f'grad_checkpointing must be a bool, got '
                            f'{grad_checkpointing!r}')
        self.num_frames = num_frames
        self.pool_layers = pool_layers
        self.pool_position = pool_position
        self.out_pool = out_pool
        self.frozen_stages = frozen_stages
        self.embed_dim = self.visual.output_dim
        first = num_layers - pool_layers
        for k, block in enumerate(blocks[first:]):
            # Block k of the pooled ones sees the T inputs plus k pooled
            # frames from earlier pooled blocks (the paper's first change).
            TemporalMaxPoolBlock.convert(block, num_frames + k, pool_position)
        # open_clip >= 2.32 checkpoints non-re-entrantly, so blocks after a
        # frozen stem still get gradients (setup.cfg's floor says why).
        self.visual.set_grad_checkpointing(grad_checkpointing)
        self._freeze_stages()

    def _freeze_stages(self) -> None:
        if self.frozen_stages < 0:
            return
        v = self.visual
        stem = [v.conv1, v.ln_pre]
        params = [v.class_embedding, v.positional_embedding]
        blocks = list(v.transformer.resblocks[:self.frozen_stages])
        head = [v.ln_post] if self.frozen_stages > len(
            v.transformer.resblocks) else []
        for module in stem + blocks + head:
            params.extend(module.parameters())
        if head and v.proj is not None:
            params.append(v.proj)
        for p in params:
            p.requires_grad = False

    def init_weights(self) -> None:
        """Apply ``init_cfg``, then load the image half of ``pretrained``
        (the Runner calls this)."""
        init_then_load(self, super().init_weights, self._weights,
                       keep=lambda k: k.startswith('visual.'))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (B, C, T, H, W) -> (B, T + s, E), or (B, E) with out_pool."""
        B, C, T, H, W = x.shape
        if T != self.num_frames:
            raise ValueError(f'MaxCLIPViT was built for num_frames='
                             f'{self.num_frames} but got clips of {T} frames;'
                             f' make the pipeline clip_len/num_clips match')
        x = x.transpose(1, 2)  # (B, C, T, H, W) -> (B, T, C, H, W)
        x = x.flatten(0, 1)  # (B, T, C, H, W) -> (B*T, C, H, W)
        x = self.visual(x)  # (B*T, C, H, W) -> (B*(T+s), E)
        x = x.unflatten(0, (B, -1))  # (B*(T+s), E) -> (B, T+s, E)
        if self.out_pool == 'max':
            return x.amax(dim=1)  # (B, T+s, E) -> (B, E)
        if self.out_pool == 'mean':
            return x.mean(dim=1)  # (B, T+s, E) -> (B, E)
        return x
