"""VideoTextHead: classify videos by cosine similarity to class prompts."""
import json
from typing import List, Optional, Sequence, Union

import open_clip
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.models.heads import BaseHead
from mmaction.registry import MODELS

from ...datasets.class_names import load_class_names
from ..clip_utils import build_clip, load_clip_state_dict, load_into


@MODELS.register_module()
class VideoTextHead(BaseHead):
    """CLIP's text tower as a classification head (ViFi-CLIP style).

    ``logits = exp(logit_scale) * cos(video, text)``, with the video
    embedding pooled over frames and one text embedding per class (the
    normalised mean over ``templates``). Loss, label smoothing, soft mixup
    targets, top-k logging and multi-view averaging come from ``BaseHead``.
    No parameter depends on the class count, so any class set loads; the
    names ride along in checkpoints (:meth:`get_extra_state`).

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
            maps it. Defaults to None (CLIP's width).
        quick_gelu (bool, optional): as for ``MaxCLIPViT``.
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
                 **kwargs) -> None:
        clip, self_info = build_clip(clip_arch, pretrained, quick_gelu)
        embed_dim = clip.text_projection.shape[-1] if isinstance(
            clip.text_projection, torch.Tensor) else \
            clip.text_projection.out_features
        in_channels = embed_dim if in_channels is None else in_channels
        super().__init__(num_classes=0, in_channels=in_channels,
                         average_clips=average_clips, **kwargs)
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
        self._clip_info = self_info
        del clip.visual  # the image tower lives in the backbone
        self.clip = clip
        self.templates = tuple(templates)
        self.pooling = pooling
        self.embed_dim = embed_dim
        self.proj = nn.Linear(in_channels, embed_dim) \
            if in_channels != embed_dim else nn.Identity()
        name = self_info['name']
        self.tokenizer = open_clip.get_tokenizer(
            name, context_length=clip.context_length) if name else \
            open_clip.SimpleTokenizer(context_length=clip.context_length)
        # CLIP's text tower is causal and reads each prompt's feature at its
        # end-of-text token (argmax pooling), so the padding after the
        # longest prompt never changes a feature: we drop it.
        self.cut_context = clip.text_pool_type == 'argmax' and \
            clip.attn_mask is not None
        self.class_names: List[str] = []
        self.class_groups: Optional[List[int]] = None
        self._text_cache: Optional[torch.Tensor] = None
        self.register_buffer('prompt_tokens', torch.zeros(0, 0).long(),
                             persistent=False)
        if class_names is not None:
            self.set_class_names(class_names)

    def set_class_names(self, class_names: Union[str, Sequence[str]],
                        groups: Optional[Sequence[int]] = None) -> None:
        """Replace the class set (any size); text features are recomputed.

        Args:
            class_names: names or a label file.
            groups: optional group id per class (base 0, novel 1, ...);
                multi-view ``'prob'`` averaging then softmaxes within each
                group, so each group's scores equal a separate evaluation.
        """
        self._set_names(load_class_names(class_names), groups)

    def _set_names(self, names: List[str],
                   groups: Optional[Sequence[int]]) -> None:
        if groups is not None and len(groups) != len(names):
            raise ValueError(f'{len(groups)} groups for {len(names)} '
                             f'class names')
        prompts = [t.format(n) for n in names for t in self.templates]
        tokens = self.tokenizer(prompts)  # (C*P, L)
        if self.cut_context:
            # the end-of-text token has the largest id in CLIP's vocabulary
            tokens = tokens[:, :int(tokens.argmax(dim=-1).max()) + 1]
        self.prompt_tokens = tokens.to(self.prompt_tokens.device)
        self.class_names = names
        self.class_groups = list(groups) if groups is not None else None
        self.num_classes = len(names)
        self._text_cache = None

    def text_features(self) -> torch.Tensor:
        """Normalised class embeddings ``(C, E)``; cached outside training.

        The cache is valid until :meth:`train`, :meth:`set_class_names`,
        ``load_state_dict`` or a device / dtype move (``to``, ``cuda``,
        ``half``, ...), which all drop it. Editing weights in place in
        eval mode (``p.copy_(...)``, an EMA swap) does not: call
        ``train()`` / ``eval()`` afterwards to recompute.
        """
        if self._text_cache is not None and not self.training:
            return self._text_cache
        if self.num_classes == 0:
            raise RuntimeError('VideoTextHead has no class names: pass '
                               'class_names or add ClassNamesHook')
        x = self.encode_text(self.prompt_tokens)  # (C*P, E)
        x = x.unflatten(0, (self.num_classes, -1))  # (C*P, E) -> (C, P, E)
        x = F.normalize(x.mean(dim=1), dim=-1)  # (C, P, E) -> (C, E)
        if not self.training:
            self._text_cache = x = x.detach()
        return x

    def encode_text(self, tokens: torch.Tensor) -> torch.Tensor:
        """Normalised text features ``(N, E)`` of tokens ``(N, L)``.

        open_clip's ``CLIP.encode_text`` on a context cut to ``L`` tokens:
        it only adds positional embeddings and a mask of its full context
        length, so we run its parts on the first ``L`` positions. The text
        tower runs every training step; for the 200 K-400 base prompts
        this cut 49 s -> 7.6 s of CPU fwd+bwd (benchmarks/README.md).
        """
        clip, n = self.clip, tokens.shape[1]
        if not self.cut_context or n == clip.context_length:
            return clip.encode_text(tokens, normalize=True)
        cast_dtype = clip.transformer.get_cast_dtype()
        x = clip.token_embedding(tokens).to(cast_dtype)  # (N, L, D)
        x = x + clip.positional_embedding[:n].to(cast_dtype)
        x = clip.transformer(x, attn_mask=clip.attn_mask[:n, :n])
        x = clip.ln_final(x)
        x = x[torch.arange(x.shape[0]), tokens.argmax(dim=-1)]  # (N, D)
        proj = clip.text_projection
        x = proj(x) if isinstance(proj, nn.Linear) else x @ proj  # (N, E)
        return F.normalize(x, dim=-1)

    def train(self, mode: bool = True):
        self._text_cache = None  # weights may change while training
        return super().train(mode)

    def _apply(self, *args, **kwargs):
        # .to() / .cuda() / .double(): cached features would stay on the
        # old device and dtype
        self._text_cache = None
        return super()._apply(*args, **kwargs)

    def get_extra_state(self) -> torch.Tensor:
        """The class names (and groups) go into checkpoints.

        Configs leave ``class_names`` to ``ClassNamesHook``, which only runs
        inside a Runner; stored here, MMAction2's ``init_recognizer`` gets
        them back from the checkpoint. They are stored as the UTF-8 bytes
        of a JSON object in a uint8 tensor, not as a dict: mmengine's Runner
        broadcasts every ``state_dict()`` entry from rank 0 after
        ``init_weights`` (only tensors can be), and
        ``torch.load(weights_only=True)`` reads a tensor.
        """
        groups = self.class_groups
        state = dict(class_names=[str(n) for n in self.class_names],
                     class_groups=None if groups is None else
                     [int(g) for g in groups])
        data = bytearray(json.dumps(state).encode('utf-8'))
        return torch.frombuffer(data, dtype=torch.uint8)

    def set_extra_state(self, state) -> None:
        """Adopt a checkpoint's class names if this head has none.

        Names of its own (a config's ``class_names``, or those
        ``ClassNamesHook`` set for the running loop) win.
        """
        try:
            stored = json.loads(state.cpu().numpy().tobytes())
            names = stored['class_names']
        except (AttributeError, TypeError, ValueError, KeyError) as e:
            raise TypeError(
                f'VideoTextHead checkpoint entry _extra_state must be a '
                f'uint8 tensor of JSON dict(class_names=[...], '
                f'class_groups=...), got {state!r:.200} ({e})') from e
        if not isinstance(names, list):
            raise TypeError(f'VideoTextHead checkpoint entry _extra_state: '
                            f'class_names must be a list, got {names!r:.200}')
        if self.class_names or not names:
            return
        # stored names are already clean: restore them as they were
        self._set_names(load_class_names(names, clean=False),
                        stored.get('class_groups'))

    def _load_from_state_dict(self, state_dict, prefix, local_metadata,
                              strict, missing_keys, unexpected_keys,
                              error_msgs):
        self._text_cache = None
        super()._load_from_state_dict(state_dict, prefix, local_metadata,
                                      strict, missing_keys, unexpected_keys,
                                      error_msgs)
        # Checkpoints from before the names were stored still load.
        if prefix + '_extra_state' in missing_keys:
            missing_keys.remove(prefix + '_extra_state')

    def init_weights(self) -> None:
        """Load the text half of ``pretrained`` (the Runner calls this)."""
        if self._clip_info['pretrained'] is None:
            return
        state = load_clip_state_dict(self._clip_info)
        load_into(self.clip, state, self._clip_info['pretrained'],
                  keep=lambda k: not k.startswith('visual.'),
                  name='VideoTextHead text tower')
        self._text_cache = None

    def pool_features(self, x: torch.Tensor) -> torch.Tensor:
        """Any backbone output -> video features ``(B, in_channels)``."""
        if x.ndim == 5:  # 3D CNN maps: average space, keep time
            x = x.mean(dim=(3, 4))  # (B, C, T, H, W) -> (B, C, T)
            x = x.transpose(1, 2)  # (B, C, T) -> (B, T, C)
        if x.ndim == 3:
            x = x.amax(dim=1) if self.pooling == 'max' else x.mean(dim=1)
        if x.ndim != 2:
            raise ValueError(f'VideoTextHead takes (B, T, E), (B, E) or '
                             f'(B, C, T, H, W) features, got {tuple(x.shape)}')
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
