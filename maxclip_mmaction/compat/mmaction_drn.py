"""The mmaction2 1.2.0 wheel lacks ``mmaction/models/localizers/drn``.

``mmaction/models/localizers/__init__.py`` does ``from .drn.drn import DRN``
but the wheel ships no ``drn`` folder (open-mmlab/mmaction2 issue 2714), so
``import mmaction.models`` raises ``ModuleNotFoundError``. When (and only
when) an mmaction2 1.2.x lacks the folder, we register a stub package in
``sys.modules`` whose ``DRN`` raises a clear error if anyone builds it.
Nothing else of MMAction2 changes.
"""
import importlib.util
import os.path as osp
import sys
import types

_PKG = 'mmaction.models.localizers.drn'
# The mmaction2 line this was written for (the 1.2.0 wheel).
WRITTEN_FOR = ('1.2.0', '1.3.0')


class DRN:
    """Placeholder for the localizer the mmaction2 wheel does not ship."""

    def __init__(self, *args, **kwargs):
        raise ImportError(
            'DRN is missing from this mmaction2 wheel (open-mmlab/mmaction2 '
            'issue 2714); install mmaction2 from source to use it.')


def needed() -> bool:
    spec = importlib.util.find_spec('mmaction')
    if spec is None or not spec.submodule_search_locations:
        return False
    from mmaction import __version__
    from mmengine.utils import digit_version
    lo, hi = (digit_version(v) for v in WRITTEN_FOR)
    if not lo <= digit_version(__version__) < hi:
        return False
    root = list(spec.submodule_search_locations)[0]
    return not osp.isdir(osp.join(root, 'models', 'localizers', 'drn'))


def apply() -> bool:
    """Register the stub if the wheel lacks drn. Returns True if so."""
    if not needed() or _PKG in sys.modules:
        return False
    pkg = types.ModuleType(_PKG)
    pkg.__path__ = []  # a package, so ``.drn.drn`` resolves below it
    mod = types.ModuleType(_PKG + '.drn')
    mod.DRN = DRN
    pkg.drn = mod
    pkg.DRN = DRN
    sys.modules[_PKG] = pkg
    sys.modules[_PKG + '.drn'] = mod
    return True
