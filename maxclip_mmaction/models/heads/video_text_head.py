"""VideoTextHead: classify videos by cosine similarity to class prompts."""
from typing import List, Optional, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.models.heads import BaseHead
from mmaction.registry import MODELS

from ...datasets.class_names import load_class_names
from ..clip_utils import build_text_tower, check_init_cfg
from ..shared_weights import WeightsClaim, init_then_load
from .prompt_text_encoder import PromptTextEncoder


@MODELS.register_module()
class VideoTextHead(BaseHead):
    """CLIP's text tower as a classification head (ViFi-CLIP style).

    ``logits = exp(logit_scale) * cos(video, text)``, with the video
    embedding pooled over frames and one text embedding per class from
    :class:`PromptTextEncoder` (``self.clip``). Loss, label smoothing, soft
    mixup targets, top-k logging and multi-view averaging come from
    ``BaseHead``. No parameter depends on the class count, so any class set
    loads; the names ride along in checkpoints.

    Args:
        clip_arch (str | dict): as for ``MaxCLIPViT``.
        pretrained (str, optional): as for ``MaxCLIPViT``; the text keys of
            the same file are loaded. Defaults to None.
        class_names (list | str, optional): names, or a label file (see
            ``load_class_names``). None leaves the head empty until
            :meth:`set_class_names` (``ClassNamesHook`` does it) or a
            checkpoint that holds names loads.
        templates (Sequence[str]): prompts with one ``{}``; several are
            averaged. Defaults to ``('a photo of a {}.',)``.
        pooling (str): frame pooling, ``'max'`` (default) or ``'mean'``.
        in_channels (int, optional): feature width of the backbone; if it
            differs from CLIP's embedding width a learned linear projection
            maps it. Defaults to None (CLIP's width); features of another
            width raise naming the ``in_channels`` to set.
        quick_gelu (bool, optional): as for ``MaxCLIPViT``.
        train_token_embedding (bool): train the token embedding table;
            False (default) keeps it pretrained, as ViFi-CLIP does.
        init_cfg (dict | list, optional): as for ``MaxCLIPViT``.
        **kwargs: ``BaseHead`` arguments (``loss_cls``, ``label_smooth_eps``,
            ``topk``, ``average_clips``, ...).
    """

    def __init__(self,
                 clip_arch: Union[str, dict] = 'ViT-B-16',
                 pretrained: Optional[str] = None,
                 class_names: Optional[Union[str, Sequence[str]]] = None,
                 templates: Sequence[str] = ('a photo of a {}.', ),
                 pooling: str = 'max',
                 in_channels: Optional[int] = None,
                 quick_gelu: Optional[bool] = None,
                 average_clips: Optional[str] = 'prob',
                 train_token_embedding: bool = False,
                 init_cfg: Optional[Union[dict, list]] = None,
                 **kwargs) -> None:
        check_init_cfg(init_cfg, pretrained, 'VideoTextHead')
        if pooling not in ('max', 'mean'):
            raise ValueError(f"pooling must be 'max' or 'mean', got "
                             f'{pooling!r}')
        if isinstance(templates, str) or not templates:
            raise ValueError(f'templates must be a non-empty sequence of '
                             f'strings, got {templates!r}')
        for t in templates:
            if not isinstance(t, str) or t.count('{}') != 1:
                raise ValueError(f'each template needs exactly one "{{}}" '
                                 f'for the class name, got {t!r}')
        if in_channels is not None and (isinstance(in_channels, bool) or
                                        not isinstance(in_channels, int) or
                                        in_channels < 1):
            raise ValueError(f'in_channels must be None (CLIP\'s width) or '
                             f'a positive int, got {in_channels!r}')
        tower, info = build_text_tower(clip_arch, pretrained, quick_gelu)
        embed_dim = tower.output_dim
        in_channels = embed_dim if in_channels is None else in_channels
        super().__init__(num_classes=0, in_channels=in_channels,
                         average_clips=average_clips, init_cfg=init_cfg,
                         **kwargs)
        # named ``clip`` so that checkpoint keys read
        # ``cls_head.clip.<open_clip CLIP key>``
        self.clip = PromptTextEncoder(
            tower, templates, model_name=info['name'],
            init_logit_scale=info['init_logit_scale'],
            train_token_embedding=train_token_embedding)
        self._weights = WeightsClaim(info, owner=self)
        self.pooling = pooling
        self.embed_dim = embed_dim
        self.proj = nn.Linear(in_channels, embed_dim) \
            if in_channels != embed_dim else nn.Identity()
        if class_names is not None:
            self.set_class_names(class_names)

    @property
    def num_classes(self) -> int:
        """The class count of the current class set."""
        return self.clip.num_classes if 'clip' in self._modules else 0

    @num_classes.setter
    def num_classes(self, value: int) -> None:
        # BaseHead.__init__ sets it; the class set decides it here
        pass

    @property
    def class_names(self) -> List[str]:
        return self.clip.class_names

    @property
    def class_groups(self) -> Optional[List[int]]:
        return self.clip.class_groups

    @property
    def prompt_tokens(self) -> torch.Tensor:
        """The tokenised prompts ``(C*P, L)`` the text tower runs on."""
        return self.clip.prompt_tokens

    def set_class_names(self, class_names: Union[str, Sequence[str]],
                        groups: Optional[Sequence[int]] = None) -> None:
        """Replace the class set (any size); text features are recomputed.

        Args:
            class_names: names or a label file.
            groups: optional group id per class (base 0, novel 1, ...);
                multi-view ``'prob'`` averaging then softmaxes within each
                group, so each group's scores equal a separate evaluation.
        """
        self.clip.set_class_names(load_class_names(class_names), groups)

    def text_features(self) -> torch.Tensor:
        """Normalised class embeddings ``(C, E)`` (see PromptTextEncoder)."""
        return self.clip()

    def init_weights(self) -> None:
        """Apply ``init_cfg``, then load the text half of ``pretrained``
        (the Runner calls this)."""
        init_then_load(self, super().init_weights, self._weights,
                       keep=lambda k: not k.startswith('visual.'),
                       target=self.clip, name='VideoTextHead text tower')

    def _load_from_state_dict(self, state_dict, prefix, *args, **kwargs):
        # class names stored by heads that held them themselves
        old = state_dict.pop(prefix + '_extra_state', None)
        if old is not None:
            state_dict.setdefault(prefix + 'clip._extra_state', old)
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)

    def pool_features(self, x: torch.Tensor) -> torch.Tensor:
        """Any backbone output -> video features ``(B, in_channels)``."""
        shape = tuple(x.shape)
        if x.ndim == 5:  # 3D CNN maps: average space, keep time
            x = x.mean(dim=(3, 4))  # (B, C, T, H, W) -> (B, C, T)
            x = x.transpose(1, 2)  # (B, C, T) -> (B, T, C)
        if x.ndim == 3:
            x = x.amax(dim=1) if self.pooling == 'max' else x.mean(dim=1)
        if x.ndim != 2:
            raise ValueError(f'VideoTextHead takes (B, T, E), (B, E) or '
                             f'(B, C, T, H, W) features, got {shape}')
        if x.shape[1] != self.in_channels:
            raise ValueError(
                f'VideoTextHead was built for {self.in_channels}-wide '
                f'features, but the backbone gives shape {shape} '
                f'({x.shape[1]} channels): set in_channels={x.shape[1]} '
                f'in the head\'s config')
        return x

    def forward(self, x: torch.Tensor, **kwargs) -> torch.Tensor:
        """x: (B, T', E) | (B, E) | (B, C, T, H, W) -> logits (B, C)."""
        video = F.normalize(self.proj(self.pool_features(x)), dim=-1)
        text = self.text_features()  # (C, E)
        return self.clip.logit_scale.exp() * video @ text.t()

    def average_clip(self, cls_scores: torch.Tensor,
                     num_segs: int = 1) -> torch.Tensor:
        """``BaseHead.average_clip`` with the softmax taken per class group.

        With one group this is the stock behaviour.
        """
        if self.average_clips != 'prob' or self.class_groups is None:
            return super().average_clip(cls_scores, num_segs)
        groups = torch.as_tensor(self.class_groups, device=cls_scores.device)
        probs = torch.empty_like(cls_scores)
        for g in groups.unique():
            cols = groups == g
            probs[:, cols] = F.softmax(cls_scores[:, cols], dim=-1)
        # (B*V, C) -> (B, V, C) -> (B, C)
        return probs.unflatten(0, (-1, num_segs)).mean(dim=1)
