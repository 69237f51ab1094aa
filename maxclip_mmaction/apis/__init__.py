from .zero_shot import init_zero_shot_recognizer, rank_class_names

__all__ = ['init_zero_shot_recognizer', 'rank_class_names']
