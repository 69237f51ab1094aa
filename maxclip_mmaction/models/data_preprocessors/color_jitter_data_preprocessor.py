"""ActionDataPreprocessor with ViFi-CLIP's colour augmentation, batched."""
from typing import Dict, List, Tuple

import torch
from mmaction.models.data_preprocessors import ActionDataPreprocessor
from mmaction.registry import MODELS
from mmaction.utils import SampleList
from mmengine.model import stack_batch
from torchvision.transforms.v2.functional import adjust_hue, rgb_to_grayscale

# torchvision's public adjust_hue takes one float factor per call; its
# batched RGB <-> HSV kernels take none, so per-frame shifts reuse them.
# They are private: a torchvision without them gets adjust_hue frame by
# frame (the same maths, one call per frame).
try:
    from torchvision.transforms.v2.functional._color import (_hsv_to_rgb,
                                                             _rgb_to_hsv)
except ImportError:  # pragma: no cover - depends on the torchvision build
    _rgb_to_hsv = _hsv_to_rgb = None


def _blend(z, other, ratio):
    # torchvision's _blend, one ratio per frame: (M,) -> (M, 1, 1, 1).
    r = ratio.view(-1, 1, 1, 1)
    return (z * r + other * (1 - r)).clamp_(0, 1)


def _brightness(z, factor):
    return (z * factor.view(-1, 1, 1, 1)).clamp_(0, 1)


def _contrast(z, factor):
    # Each frame's mean gray level: (M, 1, H, W) -> (M, 1, 1, 1).
    mean = rgb_to_grayscale(z).mean(dim=(-3, -2, -1), keepdim=True)
    return _blend(z, mean, factor)


def _saturation(z, factor):
    return _blend(z, rgb_to_grayscale(z), factor)


def _hue(z, factor):
    if _rgb_to_hsv is None:
        return torch.stack(
            [adjust_hue(f, float(h)) for f, h in zip(z, factor)])
    h, s, v = _rgb_to_hsv(z).unbind(dim=-3)  # (M, 3, H, W) -> 3 x (M, H, W)
    h = (h + factor.view(-1, 1, 1)).remainder_(1.0)
    return _hsv_to_rgb(torch.stack((h, s, v), dim=-3))


# Indexed by op code, in torchvision ColorJitter's numbering.
_OPS = (_brightness, _contrast, _saturation, _hue)


@MODELS.register_module()
class ColorJitterDataPreprocessor(ActionDataPreprocessor):
    """``ActionDataPreprocessor`` that colour-jitters training clips first.

    ViFi-CLIP decides once per video (probability ``jitter_prob``) whether
    to jitter, then runs torchvision's ``ColorJitter`` on every frame, so
    each frame draws its own brightness, contrast, saturation and hue
    factors and its own op order; then, once per video with ``gray_prob``,
    grayscale (ViFi-CLIP datasets/pipeline.py L1695-1725). Here the same
    draws run batched on the device before normalisation, on training
    batches only. Inputs are uint8-range RGB clips (decord decodes RGB).

    Each op is torchvision's float-image maths (``transforms.v2.functional``
    ``adjust_brightness`` / ``_contrast`` / ``_saturation`` / ``_hue`` and
    ``rgb_to_grayscale``) on the frames scaled to [0, 1], its float range,
    with its clamping to [0, 1]; the public kernels take one scalar factor
    per call, so the blends are written here with a factor per frame.
    ViFi-CLIP runs the same ops on uint8 PIL images, which round to
    integers after every op (and PIL's HSV keeps 8-bit hue); these floats
    skip that rounding.

    Args:
        brightness (float): factor drawn from ``[max(0, 1 - b), 1 + b]``.
            Defaults to 0.4.
        contrast (float): as brightness. Defaults to 0.4.
        saturation (float): as brightness. Defaults to 0.2.
        hue (float): shift drawn from ``[-h, h]`` turns (<= 0.5).
            Defaults to 0.1.
        jitter_prob (float): probability a video is jittered.
            Defaults to 0.8.
        gray_prob (float): probability a video turns gray. Defaults to 0.2.
        **kwargs: ``ActionDataPreprocessor`` arguments (``mean``, ``std``,
            ``format_shape`` (``'NCTHW'`` or ``'NCHW'``), ``blending``).
    """

    def __init__(self,
                 brightness: float = 0.4,
                 contrast: float = 0.4,
                 saturation: float = 0.2,
                 hue: float = 0.1,
                 jitter_prob: float = 0.8,
                 gray_prob: float = 0.2,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        limits = dict(
            brightness=(brightness, 1),
            contrast=(contrast, 1),
            saturation=(saturation, 1),
            hue=(hue, 0.5),
            jitter_prob=(jitter_prob, 1),
            gray_prob=(gray_prob, 1))
        for name, (value, top) in limits.items():
            if not 0 <= value <= top:
                raise ValueError(f'{name} must be in [0, {top}], got '
                                 f'{value!r}')
        if self.to_rgb:
            raise ValueError('ColorJitterDataPreprocessor expects RGB '
                             'inputs; to_rgb=True would jitter BGR')
        if self.format_shape not in ('NCTHW', 'NCHW'):
            raise ValueError(f"format_shape must be 'NCTHW' or 'NCHW', got "
                             f'{self.format_shape!r}')
        strengths = (brightness, contrast, saturation, hue)
        # (low, high) per op, indexed by the op codes.
        self.ranges = tuple(
            (max(0., 1 - r), 1 + r) for r in strengths[:3]) + ((-hue, hue), )
        # torchvision's ColorJitter skips an op whose range is a point.
        self.active_ops = tuple(i for i, r in enumerate(strengths) if r > 0)
        self.jitter_prob = jitter_prob
        self.gray_prob = gray_prob

    def preprocess(self,
                   inputs: List[torch.Tensor],
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
        frames = self._to_frames(x)
        params = self.draw_params(*frames.shape[:2], device=x.device)
        return self._from_frames(self.apply_params(frames, params), x.shape)

    def _to_frames(self, x: torch.Tensor) -> torch.Tensor:
        if self.format_shape == 'NCTHW':
            # (B, V, C, T, H, W) -> (B, V, T, C, H, W) -> (B, V*T, C, H, W)
            return x.transpose(2, 3).flatten(1, 2)
        return x  # (B, V, C, H, W): the V inputs are the frames

    def _from_frames(self, y: torch.Tensor, shape: torch.Size):
        if self.format_shape == 'NCTHW':
            b, v, c, t, h, w = shape
            # (B, V*T, C, H, W) -> (B, V, T, C, H, W) -> (B, V, C, T, H, W)
            y = y.unflatten(1, (v, t)).transpose(2, 3)
        return y.contiguous()

    def draw_params(self,
                    num_videos: int,
                    num_frames: int,
                    device=None) -> Dict[str, torch.Tensor]:
        """Random draws for ``num_videos`` clips of ``num_frames`` frames.

        Returns a dict: ``jitter`` and ``gray`` (B,) bools, one per video;
        ``order`` (B, F, 4) a permutation of the op codes per frame;
        ``factors`` (B, F, 4) the op factors per frame, by op code.
        """
        b, f = num_videos, num_frames
        low, high = torch.tensor(self.ranges, device=device).unbind(1)
        factors = torch.rand(b, f, 4, device=device) * (high - low) + low
        return dict(
            jitter=torch.rand(b, device=device) < self.jitter_prob,
            # Sorting uniform keys gives a uniform permutation per frame,
            # as torchvision's randperm(4) per call.
            order=torch.rand(b, f, 4, device=device).argsort(dim=-1),
            factors=factors,
            gray=torch.rand(b, device=device) < self.gray_prob)

    def apply_params(self, frames: torch.Tensor,
                     params: Dict[str, torch.Tensor]) -> torch.Tensor:
        """frames: (B, F, 3, H, W) in [0, 255]; params from draw_params."""
        y = frames / 255  # torchvision's float images live in [0, 1]
        jit = params['jitter'].nonzero().squeeze(1)
        z = y[jit].flatten(0, 1)  # (Bj, F, 3, H, W) -> (Bj*F, 3, H, W)
        order = params['order'][jit].flatten(0, 1)  # (Bj*F, 4)
        factors = params['factors'][jit].flatten(0, 1)  # (Bj*F, 4)
        for k in range(4):
            for op in self.active_ops:
                # Frames whose k-th op is this one.
                idx = (order[:, k] == op).nonzero().squeeze(1)
                if idx.numel():
                    z[idx] = _OPS[op](z[idx], factors[idx, op])
        if jit.numel():
            # (Bj*F, 3, H, W) -> (Bj, F, 3, H, W)
            y[jit] = z.unflatten(0, (jit.numel(), -1))
        gray = rgb_to_grayscale(y, num_output_channels=3)
        y = torch.where(params['gray'].view(-1, 1, 1, 1, 1), gray, y)
        return y * 255
