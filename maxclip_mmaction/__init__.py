"""MaxCLIP for MMAction2: importing this registers every component.

Configs name it with ``custom_imports = dict(imports=['maxclip_mmaction'],
allow_failed_imports=False)`` and use ``default_scope = 'mmaction'``.
"""
from . import compat  # noqa: F401  (must run before mmaction.models loads)
from . import datasets, engine, evaluation, models  # noqa: F401,E402
from .version import __version__  # noqa: E402

__all__ = ['__version__']
