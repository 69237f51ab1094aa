"""What ``tools/`` runs before and around MMAction2's runner: config
checks (``preflight``), launch helpers, seed-split handling and the
label-file check of ``tools/data/check_class_names.py``. Not imported by
``maxclip_mmaction`` itself.
"""
from .preflight import preflight

__all__ = ['preflight']
