"""ActionDataPreprocessor with ViFi-CLIP's colour augmentation, batched."""
import math
from typing import List, Tuple

import torch
from mmaction.models.data_preprocessors import ActionDataPreprocessor
from mmaction.registry import MODELS
from mmaction.utils import SampleList
from mmengine.model import stack_batch

# ITU-R 601 luma weights, as torchvision's and mmaction's grayscale use.
_LUMA = (0.299, 0.587, 0.114)
# RGB <-> YIQ: a hue shift is a rotation of the (I, Q) chroma plane.
_RGB2YIQ = ((0.299, 0.587, 0.114), (0.596, -0.274, -0.322),
            (0.211, -0.523, 0.312))


@MODELS.register_module()
class ColorJitterDataPreprocessor(ActionDataPreprocessor):
    """``ActionDataPreprocessor`` that colour-jitters training clips first.

    ViFi-CLIP's per-pixel augmentation (colour jitter with probability
    ``jitter_prob``, then grayscale with ``gray_prob``) costs the CPU
    workers about as much as the rest of the geometric pipeline; here it
    runs batched on the device, one random draw per clip shared by all its
    frames, before normalisation. Inputs are uint8-range RGB clips
    (decord decodes RGB). Only ``training=True`` batches are augmented.

    The four jitter operations follow torchvision's ``ColorJitter``
    (brightness and saturation blend with black / grayscale, contrast with
    the frame's mean gray level, each clamped to [0, 255]), in one random
    order per batch. The hue shift rotates chroma in YIQ space, a linear
    stand-in for torchvision's HSV round trip that needs no per-pixel
    branching.

    Args:
        brightness (float): factor drawn from ``[1 - b, 1 + b]``.
            Defaults to 0.4.
        contrast (float): as brightness. Defaults to 0.4.
        saturation (float): as brightness. Defaults to 0.2.
        hue (float): shift drawn from ``[-h, h]`` turns (<= 0.5).
            Defaults to 0.1.
        jitter_prob (float): probability a clip is jittered. Defaults to 0.8.
        gray_prob (float): probability a clip turns gray. Defaults to 0.2.
        **kwargs: ``ActionDataPreprocessor`` arguments (``mean``, ``std``,
            ``format_shape`` (``'NCTHW'`` or ``'NCHW'``), ``blending``).
    """

    def __init__(self, brightness: float = 0.4, contrast: float = 0.4,
                 saturation: float = 0.2, hue: float = 0.1,
                 jitter_prob: float = 0.8, gray_prob: float = 0.2,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        for name, value, top in (('brightness', brightness, 1),
                                 ('contrast', contrast, 1),
                                 ('saturation', saturation, 1),
                                 ('hue', hue, 0.5), ('jitter_prob',
                                                     jitter_prob, 1),
                                 ('gray_prob', gray_prob, 1)):
            if not 0 <= value <= top:
                raise ValueError(f'{name} must be in [0, {top}], got '
                                 f'{value!r}')
        if self.to_rgb:
            raise ValueError('ColorJitterDataPreprocessor expects RGB '
                             'inputs; to_rgb=True would jitter BGR')
        if self.format_shape not in ('NCTHW', 'NCHW'):
            raise ValueError(f"format_shape must be 'NCTHW' or 'NCHW', got "
                             f'{self.format_shape!r}')
        self.ranges = dict(brightness=brightness, contrast=contrast,
                           saturation=saturation, hue=hue)
        self.jitter_prob = jitter_prob
        self.gray_prob = gray_prob
        self.register_buffer('luma', torch.tensor(_LUMA), False)
        rgb2yiq = torch.tensor(_RGB2YIQ)
        self.register_buffer('rgb2yiq', rgb2yiq, False)
        self.register_buffer('yiq2rgb', torch.linalg.inv(rgb2yiq), False)

    def preprocess(self, inputs: List[torch.Tensor],
                   data_samples: SampleList,
                   training: bool = False) -> Tuple:
        if training:
            # Jitter on the stacked batch, then hand the clips back to the
            # stock path (it re-stacks: one extra copy, kept so
            # normalisation and blending stay mmaction's own code).
            batch = self.jitter(stack_batch(inputs).float())
            inputs = list(batch)
        return super().preprocess(inputs, data_samples, training)

    def jitter(self, x: torch.Tensor) -> torch.Tensor:
        """x: uint8-range RGB floats, (B, V, C, T, H, W) or (B, V, C, H, W)."""
        # Channels last, pixels of one clip flattened: per-clip factors
        # then broadcast as (B, 1, 1).
        if self.format_shape == 'NCTHW':
            # (B, V, C, T, H, W) -> (B, V, T, H, W, C)
            y = x.permute(0, 1, 3, 4, 5, 2)
        else:
            y = x.permute(0, 1, 3, 4, 2)  # (B, V, C, H, W) -> (B, V, H, W, C)
        shape = y.shape
        y = y.reshape(shape[0], -1, 3)  # (B, V, ..., C) -> (B, P, C)
        frame_px = shape[-2] * shape[-3]
        jit = torch.rand(shape[0], 1, 1, device=x.device) < self.jitter_prob
        for op in torch.randperm(4).tolist():
            y = torch.where(jit, self._ops[op](self, y, frame_px), y)
        gray = torch.rand(shape[0], 1, 1, device=x.device) < self.gray_prob
        y = torch.where(gray, self._gray(y).expand_as(y), y)
        y = y.reshape(shape)  # (B, P, C) -> (B, V, ..., C)
        return y.movedim(-1, 2).contiguous()  # channels back to dim 2

    def _factor(self, name: str, y: torch.Tensor) -> torch.Tensor:
        r = self.ranges[name]
        lo, hi = (-r, r) if name == 'hue' else (1 - r, 1 + r)
        return torch.empty(y.shape[0], 1, 1, device=y.device).uniform_(lo, hi)

    def _gray(self, y: torch.Tensor) -> torch.Tensor:
        return (y @ self.luma).unsqueeze(-1)  # (B, P, C) -> (B, P, 1)

    def _brightness(self, y, frame_px):
        return (y * self._factor('brightness', y)).clamp_(0, 255)

    def _contrast(self, y, frame_px):
        # Blend with each frame's mean gray level, as torchvision does
        # per image. (B, P, 1) -> (B, F, frame_px, 1) -> per-frame mean.
        gray = self._gray(y).unflatten(1, (-1, frame_px))
        mean = gray.mean(dim=(2, 3), keepdim=True)  # (B, F, 1, 1)
        c = self._factor('contrast', y).unsqueeze(-1)  # (B, 1, 1, 1)
        out = y.unflatten(1, (-1, frame_px)) * c + (1 - c) * mean
        return out.flatten(1, 2).clamp_(0, 255)  # (B, F, px, C) -> (B, P, C)

    def _saturation(self, y, frame_px):
        s = self._factor('saturation', y)
        return (y * s + (1 - s) * self._gray(y)).clamp_(0, 255)

    def _hue(self, y, frame_px):
        # Rotate (I, Q) by 2*pi*h: M = YIQ^-1 @ R(h) @ YIQ per clip.
        theta = 2 * math.pi * self._factor('hue', y).view(-1)
        cos, sin = theta.cos(), theta.sin()
        rot = torch.zeros(y.shape[0], 3, 3, device=y.device)
        rot[:, 0, 0] = 1
        rot[:, 1, 1], rot[:, 1, 2] = cos, -sin
        rot[:, 2, 1], rot[:, 2, 2] = sin, cos
        m = self.yiq2rgb @ rot @ self.rgb2yiq  # (B, 3, 3)
        return (y @ m.transpose(1, 2)).clamp_(0, 255)

    _ops = (_brightness, _contrast, _saturation, _hue)
