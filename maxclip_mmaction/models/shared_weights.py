"""One read of a CLIP weights file serves both towers.

``MaxCLIPViT`` (image tower) and ``VideoTextHead`` (text tower) load two
halves of the same file in their ``init_weights``. Each claims the file
when it is built; the first ``take`` reads it and keeps it for the other
claims, and it is dropped when the last claim is released: after that
module's load, or when a module that never loads is garbage-collected.
Nothing is kept once every claimant has loaded.
"""
import os
import os.path as osp
import threading
import weakref
from typing import Callable, Dict, List, Optional, Tuple

from .clip_utils import load_clip_state_dict, load_into

# source -> dict(claims=int, state=dict or None, stamp=file stamp)
_ENTRIES: Dict[tuple, dict] = {}
_LOCK = threading.Lock()


def _source(info: dict) -> tuple:
    if info['kind'] == 'file':
        return ('file', osp.realpath(info['pretrained']))
    return ('tag', info['name'], info['pretrained'])


def _stamp(info: dict):
    """A file rewritten between two loads is read again."""
    if info['kind'] != 'file':
        return None
    st = os.stat(info['pretrained'])
    return st.st_mtime_ns, st.st_size


def _release(source: tuple) -> None:
    with _LOCK:
        entry = _ENTRIES.get(source)
        if entry is None:
            return
        entry['claims'] -= 1
        if entry['claims'] <= 0:
            del _ENTRIES[source]


class WeightsClaim:
    """``owner``'s claim on the weights named by ``info`` (see module doc).

    A copy (``copy.deepcopy`` of the module, pickling) holds no claim and
    reads the file itself, as does a claim used a second time.
    """

    def __init__(self, info: dict, owner=None) -> None:
        self.info = info
        self._release = None
        if info['pretrained'] is None or owner is None:
            return
        source = _source(info)
        with _LOCK:
            entry = _ENTRIES.setdefault(
                source, dict(claims=0, state=None, stamp=None))
            entry['claims'] += 1
        # runs at most once: on release() or when the owner is collected
        self._release = weakref.finalize(owner, _release, source)

    def __deepcopy__(self, memo):
        return WeightsClaim(self.info)

    def __reduce__(self):
        return WeightsClaim, (self.info, )

    def take(self, keep: Callable[[str], bool]) -> Tuple[dict, List[str]]:
        """(the entries ``keep`` selects, every key of the file).

        Releases the claim: a module loads its weights once.
        """
        if self._release is None or not self._release.alive:
            state = load_clip_state_dict(self.info)
        else:
            with _LOCK:
                entry = _ENTRIES[_source(self.info)]
                stamp = _stamp(self.info)
                if entry['state'] is None or entry['stamp'] != stamp:
                    entry['state'] = load_clip_state_dict(self.info)
                    entry['stamp'] = stamp
                state = entry['state']
            self._release()
        return {k: v for k, v in state.items() if keep(k)}, list(state)


def init_then_load(module, base_init: Callable[[], None],
                   weights: WeightsClaim, keep: Callable[[str], bool],
                   target=None, name: Optional[str] = None) -> None:
    """``init_weights`` of a module that claims CLIP weights.

    mmengine's ``init_cfg`` first (``base_init`` is the class's
    ``super().init_weights``), then the keys ``keep`` selects from
    ``pretrained`` into ``target`` (default: the module). A second call
    goes to ``base_init`` alone, which warns as mmengine does.
    """
    if module._is_init:
        return base_init()
    if module.init_cfg:
        base_init()
    module._is_init = True
    src = weights.info['pretrained']
    if src is None:
        return
    state, keys = weights.take(keep)
    load_into(module if target is None else target, state, src, name=name,
              file_keys=keys)


def cached_sources() -> List[tuple]:
    """The weights files held for claims not yet loaded (for tests)."""
    with _LOCK:
        return [s for s, e in _ENTRIES.items() if e['state'] is not None]
