"""mmaction2 1.2.0 imports ``importlib_metadata`` without declaring it.

We declare the backport in setup.cfg; this shim only covers environments
where it is still missing, by pointing the name at the standard library's
``importlib.metadata`` (same API for what mmaction uses:
``distribution`` and ``PackageNotFoundError``).
"""
import importlib.util
import sys


def needed() -> bool:
    return importlib.util.find_spec('importlib_metadata') is None


def apply() -> bool:
    """Install the alias if the backport is missing. Returns True if so."""
    if not needed():
        return False
    import importlib.metadata
    sys.modules['importlib_metadata'] = importlib.metadata
    return True
