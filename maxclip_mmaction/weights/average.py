"""The mean of several checkpoints of one architecture (the last k
epochs, say)."""
import os.path as osp
from typing import Iterable, Sequence, Tuple

import torch

from .checkpoint_io import load_state, save_atomic

EXTRA_STATE = '_extra_state'


def check_same_architecture(states: Sequence[dict],
                            names: Sequence[str]) -> None:
    """Raise ValueError naming the first key (in the first checkpoint's
    order) that some checkpoint lacks, has extra, or holds with another
    shape or dtype (extra state, the head's class names, may differ)."""
    first, ref = names[0], states[0]
    for name, state in zip(names[1:], states[1:]):
        for key in ref:
            if key not in state:
                raise ValueError(f'Different architectures: {name} lacks '
                                 f'{key!r}, which {first} has')
            a, b = ref[key], state[key]
            if key.endswith(EXTRA_STATE):
                continue  # not a weight: the class names, any length
            if a.shape != b.shape or a.dtype != b.dtype:
                raise ValueError(
                    f'Different architectures: {key!r} is '
                    f'{tuple(a.shape)} {a.dtype} in {first} but '
                    f'{tuple(b.shape)} {b.dtype} in {name}')
        extra = next((k for k in state if k not in ref), None)
        if extra is not None:
            raise ValueError(f'Different architectures: {name} has '
                             f'{extra!r}, which {first} lacks')


def average_states(states: Sequence[dict], names: Sequence[str]) -> dict:
    """Mean of each floating-point tensor (accumulated in float64, stored
    in its own dtype); other tensors (integer buffers, the head's
    class-name extra state) are the last checkpoint's."""
    return _average(zip(names, states), len(states))


def _average(named_states: Iterable[Tuple[str, dict]], count: int) -> dict:
    """Stream the checkpoints: one is in memory at a time, besides the
    float64 sums and the first one's keys, shapes and dtypes."""
    if count < 2:
        raise ValueError(f'Averaging needs two or more checkpoints, got '
                         f'{count}')
    ref = total = last = None
    for name, state in named_states:
        if ref is None:
            # meta tensors keep shape and dtype, no data
            first, ref = name, {k: v.to('meta') for k, v in state.items()}
            total = {k: torch.zeros(v.shape, dtype=torch.float64)
                     for k, v in state.items() if v.is_floating_point()}
        else:
            check_same_architecture([ref, state], [first, name])
        for key, sum_ in total.items():
            sum_ += state[key].double()
        last = state
    return {k: (total[k] / count).to(v.dtype) if k in total else v.clone()
            for k, v in last.items()}


def average_checkpoint_files(paths: Sequence[str], dst: str) -> dict:
    """What ``tools/average_checkpoints.py`` does; returns the checkpoint
    written (meta from the last input, plus the list averaged)."""
    metas = []

    def read():
        for path in paths:
            state, meta = load_state(path)
            metas.append(meta)
            yield str(path), state

    state = _average(read(), len(paths))
    meta = dict(metas[-1])
    meta['averaged'] = [osp.basename(str(p)) for p in paths]
    ckpt = dict(meta=meta, state_dict=state)
    save_atomic(ckpt, dst)
    return ckpt
