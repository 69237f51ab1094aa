"""MaxCLIP for MMAction2: importing this registers every component.

Configs name it with ``custom_imports = dict(imports=['maxclip_mmaction'],
allow_failed_imports=False)`` and use ``default_scope = 'mmaction'``.
"""
import warnings

# PyAV before decord: once decord's bundled FFmpeg is loaded, PyAV can no
# longer open its VP8/VP9 encoders (SynthMotion writes WebM with them).
import av  # noqa: F401,I001

# mmcv-lite has no compiled ops; MMAction2 imports one this package does not
# use (MultiScaleDeformableAttention) and mmcv warns about it on import. The
# filter covers the imports below only, not the rest of the process.
with warnings.catch_warnings():
    warnings.filterwarnings(
        'ignore', message='Fail to import ``MultiScaleDeformableAttention')
    from . import compat  # noqa: F401  (must run before mmaction.models)
    from . import datasets, engine, evaluation, models  # noqa: F401,E402
from .version import __version__  # noqa: E402

__all__ = ['__version__']
