"""BadVideoHook: log, count and list the videos that could not be read."""
import json
import os
import os.path as osp
from collections import Counter
from typing import Dict, Optional

from mmaction.registry import HOOKS
from mmengine.dist import is_main_process
from mmengine.hooks import Hook

from ...datasets.robust import BAD_VIDEO_DIR_ENV
from ..atomic_checkpoint import atomic_write


@HOOKS.register_module()
class BadVideoHook(Hook):
    """Collect the records ``RobustDecodeMixin`` writes in every process.

    Dataloader workers are separate processes, so the dataset appends one
    JSON line per failure to a file of its own process in a folder this
    hook creates (``<log_dir>/bad_video_records``) and announces through
    the ``MAXCLIP_BAD_VIDEO_DIR`` environment variable before any worker
    starts. The main process reads the new lines every ``interval``
    iterations and at each epoch end: it logs each video once with the
    decoder's error, logs per-epoch counts and rewrites
    ``<work_dir>/<filename>``: one tab-separated row per mode (``train``,
    ``val``, ``test``), kind and path, with the times seen and the error.
    ``tools/test.py`` writes to the training run's work dir, so the rows
    already in the file are kept and this run's counts are added to them:
    the list covers every run in the work dir.

    Args:
        interval (int): read the records every this many train iterations.
            Defaults to 50.
        filename (str): the list, in the work dir. Defaults to
            ``'bad_videos.txt'``.
    """

    priority = 'VERY_HIGH'  # set the folder before other hooks touch data

    def __init__(self, interval: int = 50,
                 filename: str = 'bad_videos.txt') -> None:
        self.interval = interval
        self.filename = filename
        self.record_dir: Optional[str] = None
        self.videos: Dict[tuple, dict] = {}
        self._earlier: Dict[tuple, dict] = {}
        self._offsets: Dict[str, int] = {}
        self._new = Counter()
        self._env_before: Optional[str] = None
        # What a record from a test-mode dataset belongs to: the loop that
        # is running decides, as val and test datasets both have
        # test_mode=True.
        self._eval_mode = 'test'

    def before_run(self, runner) -> None:
        self.record_dir = osp.join(runner.log_dir, 'bad_video_records')
        os.makedirs(self.record_dir, exist_ok=True)
        self._env_before = os.environ.get(BAD_VIDEO_DIR_ENV)
        os.environ[BAD_VIDEO_DIR_ENV] = self.record_dir
        if is_main_process():
            self._earlier = read_list(
                osp.join(runner.work_dir, self.filename), runner.logger)

    def after_run(self, runner) -> None:
        self._collect(runner)
        if self._env_before is None:
            os.environ.pop(BAD_VIDEO_DIR_ENV, None)
        else:
            os.environ[BAD_VIDEO_DIR_ENV] = self._env_before

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None) -> None:
        if self.every_n_train_iters(runner, self.interval):
            self._collect(runner)

    def after_train_epoch(self, runner) -> None:
        self._summarise(runner, f'Epoch {runner.epoch + 1}', 'train')

    def before_val_epoch(self, runner) -> None:
        self._collect(runner)  # records read so far predate validation
        self._eval_mode = 'val'

    def after_val_epoch(self, runner, metrics=None) -> None:
        # The epoch keeps each validation's line distinct: mmengine's
        # logger drops a WARNING whose text it has printed before.
        self._summarise(runner, f'Validation after epoch {runner.epoch}',
                        'test', runner.val_loop)
        self._eval_mode = 'test'

    def before_test_epoch(self, runner) -> None:
        self._collect(runner)
        self._eval_mode = 'test'

    def after_test_epoch(self, runner, metrics=None) -> None:
        self._summarise(runner, 'Test', 'test', runner.test_loop)

    def _summarise(self, runner, when: str, mode: str, loop=None) -> None:
        """Log this stage's counts and rewrite the list."""
        self._collect(runner)
        failed = self._new.pop((mode, 'failed'), 0)
        short = self._new.pop((mode, 'short'), 0)
        if not is_main_process() or not (failed or short):
            return
        metrics = getattr(getattr(loop, 'evaluator', None), 'metrics', [])
        counted = any(getattr(m, 'counts_decode_failures', False)
                      for m in metrics)
        # Only evaluation scores failed videos; training replaces them.
        if mode == 'test' and failed and not counted:
            runner.logger.error(
                f'{when}: {failed} videos failed to decode, but no metric '
                f'counts them as wrong (use FailureAwareAccMetric): the '
                f'reported numbers include the substitute videos\' scores')
        action = 'replaced by other samples' if mode == 'train' else \
            'counted as wrong'
        distinct = len({p for (_, _, p) in self.videos})
        runner.logger.warning(
            f'{when}: {failed} video loads failed ({action}), {short} '
            f'short videos sampled with repetition; {distinct} distinct '
            f'videos so far, listed in '
            f'{osp.join(runner.work_dir, self.filename)}')

    def _collect(self, runner) -> None:
        """Read new complete lines of every record file (main process)."""
        if not is_main_process() or not self.record_dir or \
                not osp.isdir(self.record_dir):
            return
        changed = False
        for name in sorted(os.listdir(self.record_dir)):
            path = osp.join(self.record_dir, name)
            with open(path, 'rb') as f:
                f.seek(self._offsets.get(path, 0))
                chunk = f.read()
            # A worker may be mid-line: keep the tail for the next read.
            end = chunk.rfind(b'\n') + 1
            self._offsets[path] = self._offsets.get(path, 0) + end
            for line in chunk[:end].decode('utf-8').splitlines():
                self._add(runner, json.loads(line))
                changed = True
        if changed:
            self._write_list(runner)

    def _add(self, runner, rec: dict) -> None:
        mode = 'test' if rec.get('test_mode') else 'train'
        self._new[(mode, rec['kind'])] += 1
        key = (self._eval_mode if rec.get('test_mode') else 'train',
               rec['kind'], rec['path'])
        if key in self.videos:
            self.videos[key]['count'] += 1
            return
        self.videos[key] = dict(rec, count=1)
        if rec['kind'] == 'failed':
            action = 'replaced by another sample' if mode == 'train' else \
                'counted as wrong'
            runner.logger.warning(
                f'Unreadable video {rec["path"]} ({rec["stage"]}: '
                f'{rec["error"]}); {action}')
        else:
            runner.logger.warning(f'Short video {rec["path"]}: '
                                  f'{rec["error"]}')

    def _write_list(self, runner) -> None:
        rows = {key: dict(rec) for key, rec in self._earlier.items()}
        for key, rec in self.videos.items():
            rows[key] = dict(rec, count=rec['count'] + rows.get(
                key, {}).get('count', 0))
        lines = [HEADER]
        for (mode, kind, path), rec in sorted(
                rows.items(), key=lambda kv: (kv[0][2], ) + kv[0][:2]):
            error = ' '.join(str(rec['error']).split())
            lines.append(f'{mode}\t{kind}\t{rec["count"]}\t{path}\t'
                         f'{rec["stage"]}: {error}')
        atomic_write('\n'.join(lines) + '\n',
                     osp.join(runner.work_dir, self.filename))


HEADER = '# mode\tkind\ttimes\tpath\tstage: error'


def read_list(path: str, logger=None) -> Dict[tuple, dict]:
    """The rows of a list an earlier run wrote, keyed (mode, kind, path).

    Lists written before the mode column existed have four columns; their
    rows keep mode ``'unknown'``. A row that does not parse is reported
    (file and line) and dropped, not fatal: the list is a report.
    """
    rows = {}
    if not osp.isfile(path):
        return rows
    with open(path, encoding='utf-8') as f:
        for num, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            fields = line.split('\t', 4)
            if len(fields) == 4:
                fields.insert(0, 'unknown')
            if len(fields) != 5 or not fields[2].isdigit():
                if logger is not None:
                    logger.warning(f'{path}, line {num}: not a bad-video '
                                   f'row, dropped: {line!r}')
                continue
            mode, kind, count, video, error = fields
            stage, _, error = error.partition(': ')
            rows[(mode, kind, video)] = dict(count=int(count), stage=stage,
                                             error=error)
    return rows
