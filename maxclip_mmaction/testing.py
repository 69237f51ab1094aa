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
