"""ViFi-CLIP's frame sampling as one clip of ``num_segments`` frames."""
import numpy as np
from mmaction.datasets.transforms import SampleFrames
from mmaction.registry import TRANSFORMS


@TRANSFORMS.register_module()
class SegmentSample(SampleFrames):
    """TSN-style segment sampling returned as one ``T``-frame clip per view.

    ViFi-CLIP samples with MMAction2 0.x's ``SampleFrames(clip_len=1,
    frame_interval=1, num_clips=T)`` (ViFi-CLIP datasets/build.py L249,
    L287; datasets/pipeline.py L1912-1985, ``frame_uniform=False``). The
    stock 1.x ``SampleFrames`` with the same arguments draws exactly the
    same indices (same train branches, same test centres, same ``'loop'``
    wrap), so this class reuses its offsets and index assembly and only
    relabels the result: ``clip_len=T`` and ``num_clips=V``, so that
    ``FormatShape('NCTHW')`` builds ``(V, C, T, H, W)`` instead of ``T``
    one-frame clips. For a video of ``N`` frames, with ``L = N // T``:

    - training: one uniformly random frame in each segment
      ``[i * L, (i + 1) * L)``; when ``N < T``, the fixed frames
      ``round(i * N / T) mod N`` (numpy's round-half-even). ``L`` is a floor,
      so frames past ``T * L`` are never drawn: for ``T <= N < 2 * T`` the
      clip is always frames ``0 .. T - 1``.
    - test: the segment centres ``floor((i + 0.5) * N / T)``.

    Several views (the supervised 4 x 3 test):

    - ``random_views=False`` (deterministic, the default): view ``v`` of
      ``V`` takes ``floor((i + (v + 0.5) / V) * N / T)``, i.e. the
      centres of ``T * V`` equal segments, dealt out in turn, so the views
      tile each of the ``T`` segments evenly and ``V = 1`` is the test rule
      above. These are the stock test offsets of
      ``SampleFrames(clip_len=1, num_clips=T * V)``.
    - ``random_views=True``: every view is an independent training-mode
      draw, as ViFi-CLIP's multi-view test (``SampleFrames(...,
      multiview=4)`` without ``test_mode``, ViFi-CLIP datasets/build.py
      L300, datasets/pipeline.py L1982-1985). Draws use numpy's global
      RNG, as every MMAction2 sampler does (mmengine seeds it per worker).

    With ``test_mode=False`` every view is a training draw.

    Required keys: ``total_frames``, ``start_index``. Added keys:
    ``frame_inds`` (``V * T``, view-major), ``clip_len`` (``T``),
    ``frame_interval`` (1), ``num_clips`` (``V``).

    Args:
        num_segments (int): frames per clip ``T``.
        test_mode (bool): segment centres instead of random offsets.
            Defaults to False.
        num_views (int): clips ``V`` per video. Defaults to 1.
        random_views (bool): draw test views at random, as ViFi-CLIP.
            Defaults to False.
    """

    def __init__(self,
                 num_segments: int,
                 test_mode: bool = False,
                 num_views: int = 1,
                 random_views: bool = False) -> None:
        for name, value in dict(
                num_segments=num_segments, num_views=num_views).items():
            if not isinstance(value, int) or value < 1:
                raise ValueError(f'SegmentSample: {name} must be a positive '
                                 f'int, got {value!r}')
        super().__init__(
            clip_len=1,
            frame_interval=1,
            num_clips=num_segments,
            test_mode=test_mode)
        self.num_segments = num_segments
        self.num_views = num_views
        self.random_views = random_views
        # Deterministic views are the test centres of T * V segments.
        self._dense = SampleFrames(
            clip_len=1,
            frame_interval=1,
            num_clips=num_segments * num_views,
            test_mode=True)

    def _sample_clips(self, num_frames: int,
                      ori_clip_len: float) -> np.ndarray:
        if num_frames < 1:
            raise ValueError(f'SegmentSample: a video needs at least one '
                             f'frame, got total_frames={num_frames}')
        if self.test_mode and not self.random_views:
            offsets = self._dense._get_test_clips(num_frames, ori_clip_len)
            # (T * V,) -> (T, V) -> (V, T): view v takes every V-th centre.
            return offsets.reshape(self.num_segments, -1).T.reshape(-1)
        return np.concatenate([
            self._get_train_clips(num_frames, ori_clip_len)
            for _ in range(self.num_views)
        ])

    def transform(self, results: dict) -> dict:
        # Stock assembly (loop wrap, start_index, int32), then one clip of
        # T frames per view instead of T clips of one frame.
        results = super().transform(results)
        results['clip_len'] = self.num_segments
        results['num_clips'] = self.num_views
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}('
                f'num_segments={self.num_segments}, '
                f'test_mode={self.test_mode}, '
                f'num_views={self.num_views}, '
                f'random_views={self.random_views})')
