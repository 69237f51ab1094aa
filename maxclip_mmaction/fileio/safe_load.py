"""Weights-only loading for every file this package reads.

``safe_load`` never unpickles code unless the user opts out: a checkpoint
that carries any object outside torch's weights-only allow-list (plus the
mmengine types of ``allow_list``) is refused with an error naming the
file. ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1`` is the user's explicit choice
to unpickle everything; it is honoured with a warning naming the file.
"""
import os
import pickle
import warnings

import torch

from .allow_list import allow_listed

OPT_OUT = 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'


def opted_out() -> bool:
    """True if the user set ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD`` (torch's
    spelling of true: 1, y, yes, true)."""
    return os.getenv(OPT_OUT, '0').lower() in ('1', 'y', 'yes', 'true')


def warn_opted_out(name) -> None:
    """Say that ``name`` is unpickled in full because the user asked."""
    warnings.warn(
        f'{OPT_OUT} is set: loading {name!s} with weights_only=False, so '
        f'any code pickled in it runs. Unset it to load weights only.',
        UserWarning, stacklevel=3)


def refusal_message(name, err: Exception) -> str:
    """The error text for a file that ``weights_only`` loading refused."""
    return (f'Refused to load {name!s}: it holds objects outside the '
            f'weights-only allow-list, so it was not unpickled (nothing in '
            f'it ran). Only load checkpoints you trust with other tools. '
            f'torch said: {str(err).strip().splitlines()[0]}')


def safe_load(path, map_location='cpu', name=None):
    """``torch.load`` with ``weights_only=True`` and a clear refusal.

    Args:
        path (str | file-like): What ``torch.load`` reads.
        map_location: As for ``torch.load``. Defaults to ``'cpu'``.
        name (str, optional): How errors and warnings name the file (a URL,
            say). Defaults to ``path``.

    Raises:
        RuntimeError: naming the file and the refused global when the file
            holds anything outside the allow-list (a pickled callable, say).
    """
    name = path if name is None else name
    if opted_out():
        warn_opted_out(name)
        return torch.load(path, map_location=map_location, weights_only=False)
    try:
        with allow_listed():
            return torch.load(path, map_location=map_location,
                              weights_only=True)
    except pickle.UnpicklingError as err:
        raise RuntimeError(refusal_message(name, err)) from err


def safe_jit_load(path, map_location='cpu'):
    """``torch.jit.load`` with an error that names the file.

    TorchScript reads an archive's pickles with its own unpickler, which
    resolves only TorchScript types: a pickled Python callable is refused,
    not run. Its ``RuntimeError`` names neither the file nor why (``Unknown
    type name 'posix.system'``, or a missing ``constants.pkl`` for a plain
    ``torch.save`` file dressed up as an archive), so this one does.

    Raises:
        RuntimeError: naming the file when TorchScript cannot read it.
    """
    try:
        return torch.jit.load(path, map_location=map_location)
    except RuntimeError as err:
        said = ' '.join(str(err).split())[:300]
        raise RuntimeError(
            f'Refused to load {path!s} as a TorchScript archive: '
            f'TorchScript could not read it (it refers to a type '
            f'TorchScript does not know, such as a pickled Python callable, '
            f'or it is not a whole TorchScript archive), so no Python code '
            f'in it ran. torch said: {said}') from err
