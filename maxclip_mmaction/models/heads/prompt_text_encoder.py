"""PromptTextEncoder: a class set's prompts through CLIP's text tower."""
import json
from typing import List, Optional, Sequence

import open_clip
import torch
import torch.nn as nn
import torch.nn.functional as F
from open_clip.transformer import TextTransformer, text_global_pool

from ...datasets.class_names import load_class_names


class PromptTextEncoder(nn.Module):
    """CLIP's text side for a set of class names.

    Holds open_clip's text tower under ``CLIP``'s own attribute names
    (``token_embedding``, ``positional_embedding``, ``transformer``,
    ``ln_final``, ``text_projection``, and the temperature
    ``logit_scale``), so a CLIP state dict's text keys load as they are.
    Tokenises ``template.format(name)`` for every class and template,
    returns one normalised feature per class (the normalised mean over
    templates), caches it outside training, and stores the names (and
    groups) in checkpoints (:meth:`get_extra_state`).

    Args:
        tower (TextTransformer): open_clip's text tower; its parts are
            taken over.
        templates (Sequence[str]): prompts with one ``{}``.
        model_name (str, optional): open_clip model name for its
            tokenizer; None uses CLIP's ``SimpleTokenizer``.
        init_logit_scale (float): CLIP's initial ``logit_scale``.
        train_token_embedding (bool): train the token embedding table.
            ViFi-CLIP embeds its prompts once without gradient
            (ViFi-CLIP trainers/vificlip.py L122-125), so the table keeps
            its pretrained values and novel classes are embedded with
            them; False (default) does the same by freezing it.
    """

    def __init__(self,
                 tower: TextTransformer,
                 templates: Sequence[str],
                 model_name: Optional[str] = None,
                 init_logit_scale: float = 0.0,
                 train_token_embedding: bool = False) -> None:
        super().__init__()
        if not isinstance(tower, TextTransformer) or tower.cls_emb \
                is not None:
            raise TypeError(f'PromptTextEncoder needs an open_clip '
                            f'TextTransformer without a class token, got '
                            f'{type(tower).__name__}')
        if not isinstance(train_token_embedding, bool):
            raise TypeError(f'train_token_embedding must be a bool, got '
                            f'{train_token_embedding!r}')
        self.token_embedding = tower.token_embedding
        self.positional_embedding = tower.positional_embedding
        self.transformer = tower.transformer
        self.ln_final = tower.ln_final
        self.text_projection = tower.text_projection
        self.register_buffer('attn_mask', tower.attn_mask, persistent=False)
        self.logit_scale = nn.Parameter(torch.tensor(float(init_logit_scale)))
        self.token_embedding.weight.requires_grad = train_token_embedding
        self.context_length = tower.context_length
        self.pool_type = tower.pool_type
        self.eos_id = tower.eos_id
        self.templates = tuple(templates)
        self.model_name = model_name
        self._tokenizer = None
        # CLIP's text tower is causal and reads each prompt's feature at its
        # end-of-text token (argmax pooling), so the padding after the
        # longest prompt never changes a feature: it is cut off.
        self.cut_context = self.pool_type == 'argmax' and \
            self.attn_mask is not None
        self.class_names: List[str] = []
        self.class_groups: Optional[List[int]] = None
        self._cache: Optional[torch.Tensor] = None
        self.register_buffer('prompt_tokens', torch.zeros(0, 0).long(),
                             persistent=False)

    @property
    def num_classes(self) -> int:
        return len(self.class_names)

    def tokenize(self, prompts: List[str]) -> torch.Tensor:
        """open_clip's tokenizer for this model, made on first use."""
        if self._tokenizer is None:
            n = self.context_length
            self._tokenizer = open_clip.get_tokenizer(
                self.model_name, context_length=n) if self.model_name \
                else open_clip.SimpleTokenizer(context_length=n)
        return self._tokenizer(prompts)

    def set_class_names(self, names: List[str],
                        groups: Optional[Sequence[int]] = None) -> None:
        """Use ``names`` (already cleaned) and their group ids."""
        if groups is not None and len(groups) != len(names):
            raise ValueError(f'{len(groups)} groups for {len(names)} '
                             f'class names')
        prompts = [t.format(n) for n in names for t in self.templates]
        tokens = self.tokenize(prompts)  # (C*P, L)
        if self.cut_context:
            # the end-of-text token has the largest id in CLIP's vocabulary
            tokens = tokens[:, :int(tokens.argmax(dim=-1).max()) + 1]
        self.prompt_tokens = tokens.to(self.prompt_tokens.device)
        self.class_names = list(names)
        self.class_groups = None if groups is None else \
            [int(g) for g in groups]
        self._cache = None

    def forward(self) -> torch.Tensor:
        """Normalised class features ``(C, E)``; cached outside training.

        The cache is valid until :meth:`train`, :meth:`set_class_names`,
        ``load_state_dict`` or a device / dtype move (``to``, ``cuda``,
        ``half``, ...), which all drop it. Editing weights in place in
        eval mode (``p.copy_(...)``, an EMA swap) does not: call
        ``train()`` / ``eval()`` afterwards to recompute.
        """
        if self._cache is not None and not self.training:
            return self._cache
        if self.num_classes == 0:
            raise RuntimeError('VideoTextHead has no class names: pass '
                               'class_names or add ClassNamesHook')
        x = self.encode(self.prompt_tokens)  # (C*P, E)
        x = x.unflatten(0, (self.num_classes, -1))  # (C*P, E) -> (C, P, E)
        x = F.normalize(x.mean(dim=1), dim=-1)  # (C, P, E) -> (C, E)
        if not self.training:
            self._cache = x = x.detach()
        return x

    def encode(self, tokens: torch.Tensor) -> torch.Tensor:
        """Normalised text features ``(N, E)`` of tokens ``(N, L)``.

        open_clip's ``TextTransformer.forward`` cuts its positional
        embeddings to ``L`` but not its causal mask, so it cannot run a
        cut context; these are its steps with both cut.
        """
        n = tokens.shape[1]
        cast_dtype = self.transformer.get_cast_dtype()
        x = self.token_embedding(tokens).to(cast_dtype)  # (N, L, D)
        x = x + self.positional_embedding[:n].to(cast_dtype)
        mask = None if self.attn_mask is None else self.attn_mask[:n, :n]
        x = self.transformer(x, attn_mask=mask)
        x = self.ln_final(x)
        x = text_global_pool(x, tokens, self.pool_type,
                             eos_token_id=self.eos_id)  # (N, D)
        proj = self.text_projection
        if proj is not None:
            x = proj(x) if isinstance(proj, nn.Linear) else x @ proj
        return F.normalize(x, dim=-1)  # (N, E)

    def train(self, mode: bool = True):
        self._cache = None  # weights may change while training
        return super().train(mode)

    def _apply(self, *args, **kwargs):
        # .to() / .cuda() / .double(): cached features would stay on the
        # old device and dtype
        self._cache = None
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
        state = dict(class_names=[str(n) for n in self.class_names],
                     class_groups=self.class_groups)
        data = bytearray(json.dumps(state).encode('utf-8'))
        return torch.frombuffer(data, dtype=torch.uint8)

    def set_extra_state(self, state) -> None:
        """Adopt a checkpoint's class names if there are none yet.

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
        self.set_class_names(load_class_names(names, clean=False),
                             stored.get('class_groups'))

    def _load_from_state_dict(self, state_dict, prefix, local_metadata,
                              strict, missing_keys, unexpected_keys,
                              error_msgs):
        self._cache = None
        super()._load_from_state_dict(state_dict, prefix, local_metadata,
                                      strict, missing_keys, unexpected_keys,
                                      error_msgs)
        # Checkpoints from before the names were stored still load.
        if prefix + '_extra_state' in missing_keys:
            missing_keys.remove(prefix + '_extra_state')
