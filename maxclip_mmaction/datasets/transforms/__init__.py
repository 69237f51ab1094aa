"""Pipeline transforms registered in MMAction2's ``TRANSFORMS``."""

__all__ = []
