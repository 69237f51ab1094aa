"""Tiny CLIP configs for tests, benchmarks smoke runs and SynthMotion.

They build offline in milliseconds with random weights; ``vocab_size`` stays
at CLIP's 49408 so open_clip's tokenizer ids fit.
"""
import copy


def tiny_clip_cfg(width: int = 64, layers: int = 3, image_size: int = 32,
                  patch_size: int = 8, embed_dim: int = 32,
                  text_layers: int = 2, context_length: int = 16) -> dict:
    """An open_clip model config dict for a tiny ViT CLIP."""
    return copy.deepcopy(dict(
        embed_dim=embed_dim,
        vision_cfg=dict(image_size=image_size, patch_size=patch_size,
                        width=width, layers=layers, head_width=32),
        text_cfg=dict(context_length=context_length, vocab_size=49408,
                      width=width, heads=2, layers=text_layers)))


def write_video(path: str, num_frames: int = 8, size=(48, 64), fps: int = 8,
                seed: int = 0) -> str:
    """Write a small moving-square video with PyAV (decord can read it).

    The container follows the extension: ``.mp4`` H.264, ``.webm`` VP9,
    ``.avi`` MPEG-4, as K-400, SSv2 and HMDB/UCF ship them; encoded by
    SynthMotion's writer, so the same arguments give the same file.
    """
    import numpy as np

    from .synthmotion import write_video as encode
    h, w = size
    rng = np.random.default_rng(seed)
    frames = rng.integers(0, 40, (num_frames, h, w, 3), dtype=np.uint8)
    for t in range(num_frames):
        x = int((w - 16) * t / max(num_frames - 1, 1))
        frames[t, h // 2 - 8:h // 2 + 8, x:x + 16] = (220, 40, 40)
    encode(path, frames, fps=fps)
    return path
