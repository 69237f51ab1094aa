"""Weights-only versions of mmengine's ``CheckpointLoader`` schemes.

mmengine 0.10's URL schemes (``http(s)://``, ``torchvision://``,
``modelzoo://``, ``open-mmlab://``, ``openmmlab://``, ``mmcls://``) read
the torch hub cache through ``torch.hub.load_state_dict_from_url``, which
passes ``weights_only=False``: a file planted in
``$TORCH_HOME/hub/checkpoints`` runs its pickled code. The loaders here
resolve names with mmengine's own tables and read every file with
``safe_load`` (``torch.hub`` with ``weights_only=True`` for URLs), so a
refused file raises an error naming the checkpoint and the file read.

``compat.mmengine_hub_weights_only`` installs the URL schemes on import.
``weights_only_checkpoints()`` also covers the local path and
``s3://`` / ``petrel://`` for the duration of a block: our tools wrap
their runs in it, so ``load_from`` and ``--resume`` are weights-only too,
while a user's own ``Runner`` in their own process keeps mmengine's
loader. A scheme someone else registered is never replaced, and with
``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1`` every loader here defers to
mmengine's with a warning naming the file.
"""
import contextlib
import io
import os
import os.path as osp
import pickle
import warnings
from urllib.parse import urlparse

import torch
from mmengine.dist import get_dist_info
from mmengine.fileio import get_file_backend
from mmengine.logging import print_log
from mmengine.runner import CheckpointLoader
from mmengine.runner import checkpoint as mmengine_checkpoint

from .allow_list import allow_listed
from .safe_load import opted_out, refusal_message, safe_load, warn_opted_out


def _from_url(url, map_location, name, model_dir=None, progress=os.isatty(0)):
    """The hub-cache read of mmengine's ``load_from_http``, weights-only.

    Rank 0 downloads first, as in mmengine, so ranks never race on the
    cache file.
    """
    hub = model_dir or osp.join(torch.hub.get_dir(), 'checkpoints')
    cached = osp.join(hub, osp.basename(urlparse(url).path))
    shown = name if name == url else f'{name} ({url})'

    def load():
        try:
            with allow_listed():
                return torch.hub.load_state_dict_from_url(
                    url,
                    model_dir=model_dir,
                    map_location=map_location,
                    progress=progress,
                    weights_only=True)
        except pickle.UnpicklingError as err:
            raise RuntimeError(
                refusal_message(f'{shown} (file {cached})', err)) from err

    rank, world_size = get_dist_info()
    checkpoint = load() if rank == 0 else None
    if world_size > 1:
        torch.distributed.barrier()
        if rank > 0:
            checkpoint = load()
    return checkpoint


def _defer(name, filename, *args, **kwargs):
    """The user opted out: mmengine's own loader, with a warning."""
    warn_opted_out(filename)
    return getattr(mmengine_checkpoint, name)(filename, *args, **kwargs)


def load_from_http(filename,
                   map_location=None,
                   model_dir=None,
                   progress=os.isatty(0)):
    if opted_out():
        return _defer('load_from_http', filename, map_location, model_dir,
                      progress)
    return _from_url(filename, map_location, filename, model_dir, progress)


def load_from_torchvision(filename, map_location=None):
    if opted_out():
        return _defer('load_from_torchvision', filename, map_location)
    prefix, model = filename.split('://', 1)
    if prefix == 'modelzoo':
        print_log(
            'The URL scheme of "modelzoo://" is deprecated, please '
            'use "torchvision://" instead',
            logger='current',
            level=30)
    url = mmengine_checkpoint.get_torchvision_models()[model]
    return _from_url(url, map_location, filename)


def load_from_openmmlab(filename, map_location=None):
    if opted_out():
        return _defer('load_from_openmmlab', filename, map_location)
    prefix, model = filename.split('://', 1)
    renamed = mmengine_checkpoint.get_deprecated_model_names()
    if model in renamed:
        print_log(
            f'{prefix}://{model} is deprecated in favor of '
            f'{prefix}://{renamed[model]}',
            logger='current',
            level=30)
        model = renamed[model]
    url = mmengine_checkpoint.get_external_models()[model]
    if url.startswith(('http://', 'https://')):
        return _from_url(url, map_location, filename)
    # A name mapped to a relative path reads from $MMENGINE_HOME.
    path = osp.join(mmengine_checkpoint._get_mmengine_home(), url)
    if not osp.isfile(path):
        raise FileNotFoundError(f'{path} can not be found.')
    return safe_load(path, map_location, name=f'{filename} (file {path})')


def load_from_mmcls(filename, map_location=None):
    if opted_out():
        return _defer('load_from_mmcls', filename, map_location)
    url = mmengine_checkpoint.get_mmcls_models()[filename.split('://')[1]]
    return mmengine_checkpoint._process_mmcls_checkpoint(
        _from_url(url, map_location, filename))


def load_from_local(filename, map_location=None):
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    return safe_load(filename, map_location)


def load_from_ceph(filename, map_location=None, backend='petrel'):
    storage = get_file_backend(filename, backend_args={'backend': backend})
    with io.BytesIO(storage.get(filename)) as buffer:
        return safe_load(buffer, map_location, name=filename)


# prefix -> the mmengine loader it replaces (same name here)
HUB_SCHEMES = {
    'http://': 'load_from_http',
    'https://': 'load_from_http',
    'torchvision://': 'load_from_torchvision',
    'modelzoo://': 'load_from_torchvision',
    'open-mmlab://': 'load_from_openmmlab',
    'openmmlab://': 'load_from_openmmlab',
    'mmcls://': 'load_from_mmcls',
}
TOOL_SCHEMES = {
    '': 'load_from_local',
    r'(\S+\:)?s3://': 'load_from_ceph',
    r'(\S+\:)?petrel://': 'load_from_ceph',
}


def install(schemes: dict) -> dict:
    """Register our loader for each prefix still bound to mmengine's.

    A prefix bound to anything else was registered by someone on purpose
    and keeps its loader (with a warning). Returns ``{prefix: loader it
    had}`` for ``uninstall``.
    """
    replaced = {}
    for prefix, name in schemes.items():
        ours, theirs = globals()[name], getattr(mmengine_checkpoint, name)
        current = CheckpointLoader._schemes.get(prefix)
        if current is ours:
            continue
        if current is not theirs:
            warnings.warn(
                f'CheckpointLoader scheme {prefix!r} is bound to '
                f'{getattr(current, "__qualname__", current)}, not '
                f'mmengine\'s {name}; it is left as registered and its '
                f'loads are not made weights-only.', UserWarning)
            continue
        CheckpointLoader.register_scheme(prefix, ours, force=True)
        replaced[prefix] = current
    return replaced


def uninstall(replaced: dict) -> None:
    """Undo ``install``, except where someone re-registered a prefix."""
    for prefix, loader in replaced.items():
        name = (HUB_SCHEMES.get(prefix) or TOOL_SCHEMES[prefix])
        if CheckpointLoader._schemes.get(prefix) is globals()[name]:
            CheckpointLoader.register_scheme(prefix, loader, force=True)


@contextlib.contextmanager
def weights_only_checkpoints():
    """Every mmengine checkpoint read inside the block is weights-only.

    For the whole run of a tool, whose process is ours: ``Runner.resume``,
    ``load_from`` and ``init_cfg=dict(type='Pretrained')`` read local, s3
    and hub files with ``safe_load``. The schemes go back on exit.
    """
    replaced = install(dict(HUB_SCHEMES, **TOOL_SCHEMES))
    try:
        yield
    finally:
        uninstall(replaced)
