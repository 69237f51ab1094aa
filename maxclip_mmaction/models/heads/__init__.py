from .video_text_head import VideoTextHead

__all__ = ['VideoTextHead']
