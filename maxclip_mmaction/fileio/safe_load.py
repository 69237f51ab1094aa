"""Weights-only loading for every file this package reads.

``safe_load`` never unpickles code: a checkpoint that carries any object
outside torch's weights-only allow-list (plus the mmengine types
``compat.torch_load`` adds) is refused with an error naming the file.
"""
import pickle

import torch


def refusal_message(name, err: Exception) -> str:
    """The error text for a file that ``weights_only`` loading refused."""
    return (f'Refused to load {name!s}: it holds objects outside the '
            f'weights-only allow-list, so it was not unpickled (nothing in '
            f'it ran). Only load checkpoints you trust with other tools. '
            f'torch said: {str(err).strip().splitlines()[0]}')


def safe_load(path, map_location='cpu'):
    """``torch.load`` with ``weights_only=True`` and a clear refusal.

    Raises:
        RuntimeError: naming the file and the refused global when the file
            holds anything outside the allow-list (a pickled callable, say).
    """
    try:
        return torch.load(path, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as err:
        raise RuntimeError(refusal_message(path, err)) from err


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
