from .prompt_text_encoder import PromptTextEncoder
from .video_text_head import VideoTextHead

__all__ = ['PromptTextEncoder', 'VideoTextHead']
