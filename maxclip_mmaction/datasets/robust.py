"""RobustDecodeMixin: one unreadable video must not end a long run.

A missing, empty, truncated or corrupt file makes the decoder raise inside
a dataloader worker, which kills the whole run (ViFi-CLIP issue 10).
mmengine's ``BaseDataset.__getitem__`` already refetches a random index
when ``prepare_data`` returns None in training (``max_refetch``), so the
mixin only turns a pipeline exception into that None and records it. At
test time a video is never dropped: another video's frames keep the batch
shapes valid, and the sample is marked ``decode_failed`` so a failure-aware
metric counts it wrong. Records go to one file per process (workers are
separate processes) that ``BadVideoHook`` aggregates, logs and lists.

A native crash (a segfault in the decoder) kills the worker before any
handler runs, so the mixin cannot turn it into a record: the pipeline
must not crash. ``SafeDecordInit`` opens files by path, which avoids the
measured decord crash, and a dataset whose pipeline uses MMAction2's
buffer-based ``DecordInit`` warns when it is built.
"""
import json
import os
import os.path as osp
import socket
from typing import Any, Optional

import numpy as np
from mmengine.logging import print_log

# Set by ``BadVideoHook`` before any dataloader worker starts, so workers
# (forked or spawned) inherit it.
BAD_VIDEO_DIR_ENV = 'MAXCLIP_BAD_VIDEO_DIR'


def describe_failure(path: str, err: Exception) -> str:
    """The error, plus why the file is unreadable when that is findable.

    decord's own message is only ``Error reading <path>...`` (FFmpeg's
    reason goes to stderr), so an empty file is named as such and PyAV,
    when installed, is asked for FFmpeg's reason.
    """
    msg = f'{type(err).__name__}: {err}'
    if not isinstance(path, str) or not osp.isfile(path):
        return msg
    if osp.getsize(path) == 0:
        return f'empty file (0 bytes); {msg}'
    try:
        import av
        with av.open(path) as container:
            if not container.streams.video:
                return f'no video stream; {msg}'
    except ImportError:
        pass
    except Exception as probe:  # FFmpeg's reason, e.g. invalid data
        return f'{msg}; FFmpeg: {probe}'
    return msg


def warn_buffered_decord(transforms) -> None:
    """Warn about MMAction2's ``DecordInit``: it opens each video from an
    in-memory buffer, where decord 0.6.0 segfaults on a truncated AVI and
    takes the dataloader worker down, so no mixin can catch it."""
    from mmaction.datasets.transforms import DecordInit
    if any(type(t) is DecordInit for t in transforms):
        print_log(
            "the pipeline opens videos with DecordInit (from a buffer): "
            "decord crashes on some truncated AVIs that way, killing the "
            "run. dict(type='SafeDecordInit') opens them by path and "
            "lists damaged files instead.", logger='current', level=30)


class RobustDecodeMixin:
    """Replace or mark samples whose video cannot be read.

    Put it first in the bases: ``class D(RobustDecodeMixin, VideoDataset)``.
    Short videos are not failures: MMAction2's samplers loop over their
    frames; they are only recorded (kind ``short``) so they can be listed.

    Args:
        strict_decode (bool): raise at the first unreadable video, naming
            it, instead of replacing it. Defaults to False.
        max_consecutive_failures (int): raise when this many videos in a
            row fail in one process: then the pipeline or ``data_prefix``
            is wrong, not a few files. Defaults to 20.
        bad_video_dir (str, optional): where to append the records; None
            reads the ``MAXCLIP_BAD_VIDEO_DIR`` environment variable that
            ``BadVideoHook`` sets. Without either, failures are logged
            here directly. Defaults to None.
    """

    def __init__(self, *args,
                 strict_decode: bool = False,
                 max_consecutive_failures: int = 20,
                 bad_video_dir: Optional[str] = None,
                 **kwargs) -> None:
        self.strict_decode = strict_decode
        self.max_consecutive_failures = max_consecutive_failures
        self.bad_video_dir = bad_video_dir
        self._consecutive_failures = 0
        self._logged = set()
        self._stage = ''
        super().__init__(*args, **kwargs)
        warn_buffered_decord(self.pipeline.transforms)

    def prepare_data(self, idx: int) -> Any:
        """Run the pipeline; on failure replace (train) or mark (test)."""
        info = self.get_data_info(idx)
        path = info.get('filename', f'sample {idx}')
        try:
            data = self._run_pipeline(info, path)
        except Exception as err:  # any decoder or I/O error of one video
            self._consecutive_failures += 1
            stage = self._stage
            self._record('failed', path, describe_failure(path, err),
                         stage)
            if self.strict_decode:
                raise RuntimeError(f'{path}: could not be read ({stage}): '
                                   f'{type(err).__name__}: {err} '
                                   f'(strict_decode=True)') from err
            if self._consecutive_failures >= self.max_consecutive_failures:
                raise RuntimeError(
                    f'{self._consecutive_failures} videos in a row failed '
                    f'to load, the last {path} ({stage}): {err}. This looks '
                    f'like a wrong pipeline or data_prefix, not a few bad '
                    f'files.') from err
            if not self.test_mode:
                return None  # mmengine refetches another index
            return self._substitute(idx, info, path)
        self._consecutive_failures = 0
        return data

    def _run_pipeline(self, info: dict, path: str) -> Any:
        """``Compose.__call__``, plus which transform failed and whether
        the frame sampler had to repeat frames."""
        data, checked = info, False
        for transform in self.pipeline.transforms:
            self._stage = type(transform).__name__
            data = transform(data)
            if data is None:
                return None
            if not checked and isinstance(data, dict) and \
                    'frame_inds' in data and 'total_frames' in data:
                checked = True
                self._check_short(data, path)
        return data

    def _check_short(self, results: dict, path: str) -> None:
        """Record a video whose sampled clip repeats frames."""
        inds = np.asarray(results['frame_inds'])
        clip_len = int(results.get('clip_len', 1) or 1)
        # (num_clips * clip_len, ) -> (num_clips, clip_len); TSN-style
        # one-frame segments form a single clip.
        clips = inds.reshape(-1, clip_len) if clip_len > 1 else inds[None]
        if any(len(np.unique(c)) < len(c) for c in clips):
            self._record('short', path,
                         f'{results["total_frames"]} frames, clip of '
                         f'{clips.shape[1]} sampled with repetition',
                         'sampler')

    def _substitute(self, idx: int, info: dict, path: str) -> Any:
        """Another video's data, carrying this sample's label and a
        ``decode_failed`` mark, so the batch stays valid and the metric
        counts the sample wrong."""
        for offset in range(1, len(self)):
            other = (idx + offset) % len(self)
            try:
                data = self.pipeline(self.get_data_info(other))
            except Exception:
                continue
            if data is None:
                continue
            sample = data.get('data_samples') if isinstance(data, dict) \
                else None
            if sample is None:
                raise RuntimeError(
                    f'{path}: cannot mark the failed test sample: the '
                    f'pipeline does not end with PackActionInputs')
            if 'label' in info:
                sample.set_gt_label(info['label'])
            sample.set_metainfo(dict(decode_failed=True, failed_path=path))
            return data
        raise RuntimeError(f'no video of this test set could be read; the '
                           f'first failure was {path}')

    def _record(self, kind: str, path: str, error: str, stage: str) -> None:
        """Append one JSON line to this process's record file."""
        folder = self.bad_video_dir or os.environ.get(BAD_VIDEO_DIR_ENV)
        if not folder:
            if (kind, path) not in self._logged:
                self._logged.add((kind, path))
                print_log(f'{kind} video {path} ({stage}): {error}',
                          logger='current', level=30)
            return
        # One file per process: appends from several workers never
        # interleave, and the hook reads each file from its last offset.
        name = f'{socket.gethostname()}-{os.getpid()}.jsonl'
        line = json.dumps(dict(kind=kind, path=path, error=error,
                               stage=stage, test_mode=bool(self.test_mode)))
        with open(osp.join(folder, name), 'a', encoding='utf-8') as f:
            f.write(line + '\n')
