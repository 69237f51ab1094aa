from .color_jitter_data_preprocessor import ColorJitterDataPreprocessor

__all__ = ['ColorJitterDataPreprocessor']
