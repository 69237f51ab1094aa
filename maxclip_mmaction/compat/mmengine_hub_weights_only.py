"""mmengine 0.10's URL checkpoint schemes read the hub cache unsafely.

``http(s)://``, ``torchvision://``, ``modelzoo://``, ``open-mmlab://``,
``openmmlab://`` and ``mmcls://`` go through
``torch.hub.load_state_dict_from_url``, whose ``weights_only`` defaults to
False, so a file planted in ``$TORCH_HOME/hub/checkpoints`` runs its
pickled code even under torch >= 2.6. When (and only when) those prefixes
are still bound to mmengine's own loaders, they are re-registered through
``CheckpointLoader.register_scheme`` with the weights-only loaders of
``fileio.checkpoint_loaders``. Local, ``s3://`` and ``pavi://`` paths and
any scheme registered by someone else keep their loaders; ``torch.load``
itself is untouched.
"""
import inspect

import mmengine
import torch
from mmengine.utils import digit_version

from ..fileio.checkpoint_loaders import HUB_SCHEMES, install

# The mmengine line this was written for; 0.10.7 still has the bug.
WRITTEN_FOR = ('0.10.0', '0.11.0')


def needed() -> bool:
    """mmengine 0.10.x with a ``torch.hub`` that unpickles by default."""
    lo, hi = (digit_version(v) for v in WRITTEN_FOR)
    if not lo <= digit_version(mmengine.__version__) < hi:
        return False
    params = inspect.signature(torch.hub.load_state_dict_from_url).parameters
    return 'weights_only' in params and not params['weights_only'].default


def apply() -> bool:
    """Install the weights-only URL schemes. Returns True if needed."""
    if not needed():
        return False
    install(HUB_SCHEMES)
    return True
