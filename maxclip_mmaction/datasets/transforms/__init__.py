"""Pipeline transforms registered in MMAction2's ``TRANSFORMS``."""
from .segment_sample import SegmentSample

__all__ = ['SegmentSample']
