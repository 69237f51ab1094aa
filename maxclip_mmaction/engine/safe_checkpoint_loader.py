"""Every mmengine checkpoint load is ``weights_only`` with a clear refusal.

``Runner.resume``, ``load_from``, ``init_cfg=dict(type='Pretrained')`` and
MMAction2's backbones all read checkpoints through mmengine's
``CheckpointLoader``. Its local loader calls ``torch.load`` without
``weights_only`` (so the result depends on the torch version and on
``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD``) and its URL loader uses
``torch.hub.load_state_dict_from_url``, whose ``weights_only`` defaults to
False: a downloaded file could run code. Both schemes are re-registered
here to load with ``weights_only=True`` and the allow-list of
``compat.torch_load``; a refused file raises an error that names it.
"""
import os
import os.path as osp
import pickle

import torch
from mmengine.dist import get_dist_info
from mmengine.runner import CheckpointLoader

from ..compat import safe_load


def load_from_local(filename: str, map_location=None):
    """Load a local checkpoint with ``weights_only=True``."""
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    return safe_load(filename, map_location=map_location)


def _fetch(url: str, map_location, model_dir, progress):
    try:
        return torch.hub.load_state_dict_from_url(
            url, model_dir=model_dir, map_location=map_location,
            progress=progress, weights_only=True)
    except pickle.UnpicklingError as err:
        raise RuntimeError(
            f'Refused to load {url}: it holds objects outside the '
            f'weights-only allow-list, so it was not unpickled (nothing in '
            f'it ran). torch said: {str(err).splitlines()[0]}') from err


def load_from_http(filename: str, map_location=None, model_dir=None,
                   progress: bool = os.isatty(0)):
    """Download (rank 0 first, as mmengine does) and load weights-only."""
    rank, world_size = get_dist_info()
    if rank == 0:
        checkpoint = _fetch(filename, map_location, model_dir, progress)
    if world_size > 1:
        torch.distributed.barrier()
        if rank > 0:
            checkpoint = _fetch(filename, map_location, model_dir, progress)
    return checkpoint


def apply() -> None:
    """Replace mmengine's local and http(s) checkpoint loaders."""
    CheckpointLoader.register_scheme('', load_from_local, force=True)
    CheckpointLoader.register_scheme(('http://', 'https://'),
                                     load_from_http, force=True)


apply()
