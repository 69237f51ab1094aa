"""Where CLIP's weights sit: in ViFi-CLIP, in open_clip, in a recognizer.

Every key rename the weight tools do goes through here, so a change of
key names (ours or upstream's) is one edit.

ViFi-CLIP (``trainers/vificlip.py``) wraps OpenAI's CLIP as
``image_encoder`` (``clip_model.visual``, L169), ``text_encoder`` (a
``TextEncoder`` holding CLIP's ``transformer``, ``positional_embedding``,
``ln_final`` and ``text_projection`` under their CLIP names, L38-45) and
``logit_scale`` (L171). OpenAI's CLIP and open_clip's ``CLIP`` name those
parameters alike (``clip/model.py`` L252-281, L358-374), so the renames are
prefix swaps. ``token_embedding`` is not among them: ViFi-CLIP embeds its
prompts once, into the ``prompt_learner`` buffers, and never trains it.
"""
from typing import Dict, Iterable, List, Tuple

# ViFi-CLIP key prefix -> open_clip CLIP key prefix.
VIFICLIP_PREFIXES: Tuple[Tuple[str, str], ...] = (
    ('image_encoder.', 'visual.'),
    ('text_encoder.', ''),
    ('logit_scale', 'logit_scale'),
)
# Buffers holding the prompts' token embeddings (vificlip.py L72, L113-114,
# L125); ViFi-CLIP's own loader drops them (utils/tools.py L71-78) and
# recomputes them from the class names.
VIFICLIP_PROMPT_BUFFERS: Tuple[str, ...] = (
    'prompt_learner.complete_text_embeddings',
    'prompt_learner.token_prefix',
    'prompt_learner.token_suffix',
)
# Learned prompts of ViFi-CLIP's VL-prompting variant (vificlip.py L101;
# clip/model.py L197, L268), which this package's model does not have.
VIFICLIP_PROMPT_PARAMS: Tuple[str, ...] = ('prompt_learner.ctx', 'VPT')
# The open_clip key of the one CLIP weight ViFi-CLIP does not hold.
TOKEN_EMBEDDING = 'token_embedding.weight'
# open_clip's image tower, and the key that locates it in a recognizer.
VISUAL = 'visual.'
_VISUAL_ANCHOR = 'visual.conv1.weight'


def vificlip_to_open_clip(state: Dict[str, object], src: str) -> dict:
    """ViFi-CLIP model keys (``module.`` already stripped) -> open_clip's.

    The prompt buffers are left out. Raises ValueError naming the keys
    when the checkpoint holds VL-prompting parameters or keys of no known
    layout.
    """
    prompting = [k for k in state
                 if any(p in k for p in VIFICLIP_PROMPT_PARAMS)]
    if prompting:
        raise ValueError(
            f'{src} is a ViFi-CLIP VL-prompting checkpoint (keys '
            f'{_some(prompting)}): its learned prompt tokens have no '
            f'counterpart in this package\'s model; convert a fine-tuned '
            f'ViFi-CLIP checkpoint instead')
    out, unknown = {}, []
    for key, value in state.items():
        if key in VIFICLIP_PROMPT_BUFFERS:
            continue
        for old, new in VIFICLIP_PREFIXES:
            if key.startswith(old):
                out[new + key[len(old):]] = value
                break
        else:
            unknown.append(key)
    if unknown or not any(k.startswith(VISUAL) for k in out):
        raise ValueError(
            f'{src}: not a ViFi-CLIP model state dict: expected keys '
            f'under {[p for p, _ in VIFICLIP_PREFIXES]} (optionally '
            f'behind "module."); found {_some(unknown or list(state))}')
    return out


def place_clip_keys(clip_keys: Iterable[str], target_keys: Iterable[str],
                    src: str) -> Dict[str, str]:
    """Where each open_clip CLIP key goes in a recognizer's ``state_dict``:
    ``{recognizer key: CLIP key}``.

    The image tower's place is found from where the recognizer keeps
    ``visual.conv1.weight`` (``backbone.visual.`` for ``MaxCLIPViT``);
    every other CLIP key goes to the one recognizer key outside the image
    tower that ends with it (``cls_head.clip.transformer...``). Keys with
    no place are left out; the caller decides what that means.

    Raises:
        ValueError: the recognizer has no image tower of open_clip's
            layout, or a key has more than one place.
    """
    targets: List[str] = list(target_keys)
    target_set = set(targets)
    anchors = [t for t in targets if _ends_with(t, _VISUAL_ANCHOR)]
    if len(anchors) != 1:
        raise ValueError(
            f'Cannot place {src}: the model should hold exactly one open_clip '
            f'image tower (a key ending in {_VISUAL_ANCHOR!r}), found '
            f'{anchors or "none"}')
    visual = anchors[0][:-len(_VISUAL_ANCHOR)] + VISUAL
    others = [t for t in targets if not t.startswith(visual)]
    placed = {}
    for key in clip_keys:
        if key.startswith(VISUAL):
            target = visual + key[len(VISUAL):]
            if target in target_set:
                placed[target] = key
            continue
        found = [t for t in others if _ends_with(t, key)]
        if len(found) > 1:
            raise ValueError(f'Cannot place {src}: CLIP key {key!r} fits '
                             f'several model keys {found}')
        if found:
            placed[found[0]] = key
    return placed


def _ends_with(key: str, suffix: str) -> bool:
    return key == suffix or key.endswith('.' + suffix)


def _some(keys, n: int = 6) -> str:
    """A few keys, for an error message."""
    keys = list(keys)
    more = f', ... ({len(keys)} in all)' if len(keys) > n else ''
    return '[' + ', '.join(map(repr, keys[:n])) + more + ']'
