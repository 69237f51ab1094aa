from .bad_video_hook import BadVideoHook
from .class_names_hook import ClassNamesHook
from .epoch_accumulation_hook import EpochAccumulationHook
from .safe_checkpoint_hook import SafeCheckpointHook

__all__ = [
    'ClassNamesHook', 'BadVideoHook', 'SafeCheckpointHook',
    'EpochAccumulationHook'
]
