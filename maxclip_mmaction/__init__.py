"""MaxCLIP for MMAction2: importing this registers every component.

Configs name it with ``custom_imports = dict(imports=['maxclip_mmaction'],
allow_failed_imports=False)`` and use ``default_scope = 'mmaction'``.
"""
# PyAV before decord: once decord's bundled FFmpeg is loaded, PyAV can no
# longer open its VP8/VP9 encoders (SynthMotion writes WebM with them).
import av  # noqa: F401,I001
from . import compat  # noqa: F401  (must run before mmaction.models loads)
from . import datasets, engine, evaluation, models  # noqa: F401,E402
from .version import __version__  # noqa: E402

__all__ = ['__version__']
