"""Generated test videos shaped like K-400 and SSv2 clips (PyAV).

K-400-like: H.264 MP4, 340x256, 10 s at 30 fps, keyframe every 250 frames
(ffmpeg's libx264 default). SSv2-like: VP9 WebM, 427x240, 2-6 s at 12 fps.
The content is a textured background panning under moving discs, so the
encoders see motion-compensable detail and produce realistic bit rates.
Files are cached in ``root`` and reused across runs.
"""
import os
import os.path as osp
from typing import List

import numpy as np

KINDS = dict(
    k400=dict(ext='mp4', codec='libx264', size=(340, 256), fps=30,
              seconds=[10.0], options=dict(crf='23', preset='veryfast'),
              gop=250),
    ssv2=dict(ext='webm', codec='libvpx-vp9', size=(427, 240), fps=12,
              seconds=[2.0, 3.0, 4.0, 5.0, 6.0],
              options=dict(crf='32', deadline='realtime', **{'cpu-used': '8'}),
              gop=None))


def _frames(num: int, width: int, height: int, seed: int):
    """Yield ``num`` RGB uint8 frames (H, W, 3) of a panning scene."""
    rng = np.random.default_rng(seed)
    tex = rng.integers(0, 256, (height * 2, width * 2, 3), dtype=np.uint8)
    tex = ((tex.astype(np.uint16) + np.roll(tex, 1, 0) + np.roll(tex, 1, 1)
            + 128) // 3).astype(np.uint8)  # soften the noise a little
    yy, xx = np.mgrid[0:height, 0:width]
    centres = rng.uniform(0, 1, (3, 2)) * (width, height)
    speeds = rng.uniform(-4, 4, (3, 2))
    for t in range(num):
        dx, dy = (2 * t) % width, t % height
        frame = tex[dy:dy + height, dx:dx + width].copy()
        for c, v in zip(centres, speeds):
            cx, cy = (c + v * t) % (width, height)
            disc = (xx - cx)**2 + (yy - cy)**2 < (height / 6)**2
            frame[disc] = (255 * (v > 0)).tolist() + [128]
        yield frame


def make_video(path: str, kind: str, seconds: float, seed: int,
               scale: int = 1) -> None:
    """Encode one video of ``kind``, ``scale`` times smaller per side."""
    import av
    spec = KINDS[kind]
    width, height = spec['size'] if scale == 1 else (
        v // scale // 2 * 2 for v in spec['size'])
    tmp = path + '.part'
    with av.open(tmp, 'w', format=spec['ext']) as container:
        stream = container.add_stream(spec['codec'], rate=spec['fps'],
                                      options=spec['options'])
        stream.width, stream.height = width, height
        stream.pix_fmt = 'yuv420p'
        if spec['gop']:
            stream.codec_context.gop_size = spec['gop']
        num = int(round(seconds * spec['fps']))
        for img in _frames(num, width, height, seed):
            frame = av.VideoFrame.from_ndarray(img, format='rgb24')
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    os.replace(tmp, path)


def make_videos(root: str, kind: str, num: int,
                tiny: bool = False) -> List[str]:
    """``num`` cached videos of ``kind`` ('k400' or 'ssv2') under ``root``.

    ``tiny`` makes 1 s videos at a fifth of the size, for smoke tests.
    """
    if kind not in KINDS:
        raise ValueError(f'kind must be one of {sorted(KINDS)}, got '
                         f'{kind!r}')
    spec = KINDS[kind]
    os.makedirs(root, exist_ok=True)
    paths = []
    for i in range(num):
        seconds = 1.0 if tiny else spec['seconds'][i % len(spec['seconds'])]
        name = f'{kind}{"_tiny" if tiny else ""}_{i}.{spec["ext"]}'
        path = osp.join(root, name)
        if not osp.exists(path):
            make_video(path, kind, seconds, seed=i, scale=5 if tiny else 1)
        paths.append(path)
    return paths
