from .base_novel_video_dataset import BaseNovelVideoDataset
from .class_names import clean_class_name, load_class_names
from .open_vocab_video_dataset import OpenVocabVideoDataset
from .robust import RobustDecodeMixin
from .safe_decord_init import SafeDecordInit
from .transforms import *  # noqa: F401,F403

__all__ = [
    'BaseNovelVideoDataset', 'OpenVocabVideoDataset', 'RobustDecodeMixin',
    'SafeDecordInit', 'clean_class_name', 'load_class_names'
]
