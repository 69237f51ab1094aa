"""The types an mmengine 0.10 checkpoint holds beyond torch's allow-list.

mmengine checkpoints carry the message hub's ``HistoryBuffer`` and the
numpy arrays and scalars inside it; ``weights_only`` loading refuses them
unless they are allow-listed. ``allow_listed()`` adds them only for the
loads it wraps; ``compat.mmengine_resume`` adds them process-wide for
mmengine's own resume.
"""
import contextlib
import pickle
import threading

import numpy as np
import torch


def _numpy_globals() -> list:
    """The numpy callables a pickled array or scalar refers to.

    Each is listed under both module spellings (``numpy.core`` in numpy 1,
    ``numpy._core`` in numpy 2) so checkpoints written by either load.
    """
    try:
        from numpy._core import multiarray
    except ImportError:  # numpy < 2
        from numpy.core import multiarray
    entries = [np.ndarray, np.dtype]
    for module in ('numpy.core.multiarray', 'numpy._core.multiarray'):
        entries.append((multiarray._reconstruct, f'{module}._reconstruct'))
        entries.append((multiarray.scalar, f'{module}.scalar'))
    # numpy >= 1.25 pickles dtypes as their ``numpy.dtypes`` classes.
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is not None:
        for name in ('Float64DType', 'Float32DType', 'Float16DType',
                     'Int64DType', 'Int32DType', 'Int16DType', 'Int8DType',
                     'UInt8DType', 'BoolDType'):
            if hasattr(dtypes, name):
                entries.append(getattr(dtypes, name))
    return entries


# HistoryBuffer.__getstate__ pickles its statistic methods, which pickle
# protocol 2 writes as ``getattr(HistoryBuffer, 'mean')``. Allow-listing the
# real ``getattr`` would let a crafted file reach any attribute of any
# allowed class (``ndarray.tofile``, say); this guard answers exactly those
# lookups and refuses every other.
_HISTORY_STATS = ('min', 'max', 'current', 'mean')


def guarded_getattr(obj, name):
    """``getattr`` for the unpickler, limited to HistoryBuffer statistics."""
    from mmengine.logging import HistoryBuffer
    if obj is HistoryBuffer and name in _HISTORY_STATS:
        return getattr(obj, name)
    raise pickle.UnpicklingError(
        f'refused getattr({getattr(obj, "__name__", type(obj).__name__)}, '
        f'{name!r}): not an mmengine HistoryBuffer statistic')


def allowed_globals() -> list:
    """Everything an mmengine 0.10 checkpoint needs beyond torch's list."""
    from mmengine.logging import HistoryBuffer
    getattrs = [(guarded_getattr, f'{m}.getattr')
                for m in ('builtins', '__builtin__')]
    return [HistoryBuffer] + getattrs + _numpy_globals()


_lock = threading.Lock()
_active = []  # [safe_globals context, number of loads inside it]


@contextlib.contextmanager
def allow_listed():
    """Allow-list ``allowed_globals()`` for the loads inside the block.

    Only entries not yet on torch's list are added, and only those are
    removed again, so a user's own ``add_safe_globals`` survives the block.
    torch's list is process-wide: overlapping blocks in several threads
    share one addition, removed when the last of them ends.
    """
    serialization = torch.serialization
    if not hasattr(serialization, 'safe_globals'):  # torch < 2.5
        yield
        return
    with _lock:
        if not _active:
            present = set(serialization.get_safe_globals())
            added = serialization.safe_globals(
                [g for g in allowed_globals() if g not in present])
            added.__enter__()
            _active.extend([added, 0])
        _active[1] += 1
    try:
        yield
    finally:
        with _lock:
            _active[1] -= 1
            if not _active[1]:
                _active.pop()
                _active.pop().__exit__(None, None, None)
