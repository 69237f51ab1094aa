"""Every mmengine checkpoint scheme loads ``weights_only``, with a refusal.

``Runner.resume``, ``load_from``, ``init_cfg=dict(type='Pretrained')``,
``tools/demo.py`` and MMAction2's backbones all read checkpoints through
mmengine's ``CheckpointLoader``, whose schemes reach ``torch.load`` in two
unsafe ways:

* ``http(s)://``, ``torchvision://``, ``modelzoo://``, ``open-mmlab://``,
  ``openmmlab://`` and ``mmcls://`` go through
  ``torch.hub.load_state_dict_from_url``, which passes
  ``weights_only=False``: a file planted in the hub cache
  (``$TORCH_HOME/hub/checkpoints``) runs its pickled code;
* the local path, ``s3://`` / ``petrel://``, ``pavi://`` and the local
  branch of ``open-mmlab://`` call a bare ``torch.load``, which unpickles
  anything once ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1`` is set.

Re-writing each loader would copy most of mmengine's checkpoint module, so
instead every loader runs inside ``forced_weights_only(name)``: while it is
active, ``torch.load`` in that thread gets ``weights_only=True`` whatever
its caller passed (explicit ``True`` beats the environment variable), with
the allow-list of ``compat.torch_load``, and a refused file raises an
error naming the checkpoint and the file read. Loaders are wrapped where
``CheckpointLoader`` looks them up, so schemes registered later are
covered too. Outside a loader call ``torch.load`` is untouched.
"""
import contextvars
import functools
import os.path as osp
import pickle

import torch
from mmengine.runner import CheckpointLoader
from mmengine.runner import checkpoint as mmengine_checkpoint

from ..fileio import refusal_message

# The checkpoint name being loaded in this thread / context, or None.
_LOADING = contextvars.ContextVar('maxclip_checkpoint_loading', default=None)


def _describe(name, f) -> str:
    """``name``, plus the file actually read when that is another path."""
    if isinstance(f, (str, bytes)) or hasattr(f, '__fspath__'):
        path = osp.abspath(f)
        if str(name) != str(f) and path != str(name):
            return f'{name} (file {path})'
    return str(name)


def _guarded_load(torch_load):
    """``torch.load`` that is weights-only while a checkpoint loads."""
    if getattr(torch_load, '_maxclip_guarded', False):
        return torch_load

    @functools.wraps(torch_load)
    def load(f, *args, **kwargs):
        name = _LOADING.get()
        if name is None:
            return torch_load(f, *args, **kwargs)
        kwargs['weights_only'] = True
        try:
            return torch_load(f, *args, **kwargs)
        except pickle.UnpicklingError as err:
            raise RuntimeError(refusal_message(_describe(name, f),
                                               err)) from err

    load._maxclip_guarded = True
    return load


def weights_only_loader(loader):
    """Wrap a ``CheckpointLoader`` scheme so it loads weights-only."""
    if getattr(loader, '_maxclip_guarded', False):
        return loader

    @functools.wraps(loader)  # keeps __name__: mmengine logs it
    def wrapped(filename, *args, **kwargs):
        # A scheme that calls another (torchvision:// -> http) keeps the
        # name the user wrote, so the refusal names what they asked for.
        token = _LOADING.set(_LOADING.get() or filename)
        try:
            return loader(filename, *args, **kwargs)
        finally:
            _LOADING.reset(token)

    wrapped._maxclip_guarded = True
    return wrapped


def _lookup(get_loader):
    """``CheckpointLoader._get_checkpoint_loader`` returning wrapped
    loaders, so a scheme registered after this module is covered too."""
    if getattr(get_loader, '_maxclip_guarded', False):
        return get_loader

    def get(cls, path):
        loader = get_loader(cls, path)
        return None if loader is None else weights_only_loader(loader)

    get._maxclip_guarded = True
    return get


def apply() -> None:
    """Make every ``CheckpointLoader`` scheme load weights-only."""
    torch.load = _guarded_load(torch.load)
    get_loader = CheckpointLoader.__dict__['_get_checkpoint_loader'].__func__
    CheckpointLoader._get_checkpoint_loader = classmethod(_lookup(get_loader))
    # Callers that read the table or mmengine's module-level loaders
    # directly skip the lookup above.
    for prefix, loader in list(CheckpointLoader._schemes.items()):
        CheckpointLoader._schemes[prefix] = weights_only_loader(loader)
    for name in ('load_from_local', 'load_from_http', 'load_from_pavi',
                 'load_from_ceph', 'load_from_torchvision',
                 'load_from_openmmlab', 'load_from_mmcls'):
        setattr(mmengine_checkpoint, name,
                weights_only_loader(getattr(mmengine_checkpoint, name)))


apply()
