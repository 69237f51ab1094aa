"""check_videos.py --decode: the run's decoding path, in child processes."""
import os.path as osp
import subprocess
import sys

import pytest

from maxclip_mmaction.testing import write_video

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOOL = osp.join(ROOT, 'tools', 'data', 'check_videos.py')


def _tool():
    import importlib.util
    spec = importlib.util.spec_from_file_location('check_videos', TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cli(*args):
    return subprocess.run([sys.executable, TOOL, *map(str, args)],
                          capture_output=True,
                          text=True)


@pytest.fixture
def videos(tmp_path):
    """A list of good clips, a cut AVI, a text file and a missing file."""
    for i, ext in enumerate(('mp4', 'webm', 'avi')):
        write_video(str(tmp_path / f'good.{ext}'), num_frames=8, seed=i)
    data = (tmp_path / 'good.avi').read_bytes()
    (tmp_path / 'cut.avi').write_bytes(data[:len(data) // 2])
    (tmp_path / 'text.mp4').write_text('not a video\n')
    ann = tmp_path / 'list.txt'
    ann.write_text('good.mp4 0\ncut.avi 1\ngood.webm 2\ntext.mp4 0\n'
                   'gone.mp4 1\ngood.avi 2\n')
    return tmp_path, ann


def test_a_crashing_decoder_is_reported_and_the_check_goes_on(videos):
    root, ann = videos
    buffered = [
        dict(type='DecordInit'),
        dict(type='SampleFrames', clip_len=4, num_clips=1, test_mode=True),
        dict(type='DecordDecode'),
        dict(type='Resize', scale=(16, 16))
    ]  # not run
    total, bad = _tool().check([str(ann)],
                               str(root),
                               decode=True,
                               pipeline=buffered,
                               workers=1)
    why = {osp.basename(p): r for _, _, p, r in bad}
    assert total == 6
    assert set(why) == {'cut.avi', 'text.mp4', 'gone.mp4'}
    assert why['cut.avi'] == 'decoder crashed (signal 11)'
    assert why['gone.mp4'] == 'missing'


def test_the_default_path_reports_truncation(videos):
    root, ann = videos
    _, bad = _tool().check([str(ann)], str(root), decode=True)
    why = {osp.basename(p): r for _, _, p, r in bad}
    assert set(why) == {'cut.avi', 'text.mp4', 'gone.mp4'}
    assert why['cut.avi'].startswith(
        f'RuntimeError: {root / "cut.avi"}: truncated: ')


def test_cli_takes_the_pipeline_from_a_config(videos, tmp_path):
    root, ann = videos
    cfg = tmp_path / 'cfg.py'
    cfg.write_text("test_dataloader = dict(dataset=dict(pipeline=[\n"
                   "    dict(type='PyAVInit'),\n"
                   "    dict(type='SampleFrames', clip_len=4, num_clips=1,\n"
                   "         test_mode=True),\n"
                   "    dict(type='PyAVDecode')]))\n")
    report = tmp_path / 'report.txt'
    run = _cli(ann, '--prefix', root, '--decode', '--config', cfg,
               '--workers', '2', '--out', report)
    assert run.returncode == 1, run.stderr
    assert '2 of 6 videos missing or unreadable' in run.stdout
    lines = report.read_text().splitlines()
    # PyAV decodes the frames before the cut: the cut AVI passes, as it
    # would in a run with this pipeline.
    assert [ln.split(': ')[1] for ln in lines
            ] == [str(root / n) for n in ('text.mp4', 'gone.mp4')]
    assert lines[0].startswith(f'{ann}:4: ')


def test_cli_refuses_a_config_without_the_split(videos, tmp_path):
    root, ann = videos
    cfg = tmp_path / 'cfg.py'
    cfg.write_text('train_dataloader = dict()\n')
    run = _cli(ann, '--decode', '--config', cfg)
    assert run.returncode != 0
    assert 'no test_dataloader.dataset.pipeline' in run.stderr


# A user's own transform, in a module their config's custom_imports names:
# it hangs on files whose name contains ``word``, as a stalled mount does.
USER_MODULE = '''
import time

from mmaction.registry import TRANSFORMS


@TRANSFORMS.register_module()
class HangOnName:

    def __init__(self, word):
        self.word = word

    def __call__(self, results):
        if self.word in results['filename']:
            time.sleep(3600)
        return results
'''


def _user_pipeline(word):
    return [
        dict(type='SafeDecordInit'),
        dict(type='HangOnName', word=word),
        dict(type='SampleFrames', clip_len=4, num_clips=1, test_mode=True),
        dict(type='DecordDecode'),
    ]


@pytest.fixture
def user_module(tmp_path, monkeypatch):
    (tmp_path / 'user_transforms.py').write_text(USER_MODULE)
    monkeypatch.setenv('PYTHONPATH', str(tmp_path))
    return 'user_transforms'


def test_cli_times_out_a_hung_file_and_checks_the_rest(videos, tmp_path,
                                                       user_module):
    root, _ = videos
    (root / 'hang.mp4').write_bytes((root / 'good.mp4').read_bytes())
    ann = tmp_path / 'hang.txt'
    ann.write_text('good.mp4 0\nhang.mp4 1\ngood.webm 2\n')
    cfg = tmp_path / 'user_cfg.py'
    cfg.write_text(f'custom_imports = dict(imports=[{user_module!r}])\n'
                   f'test_dataloader = dict(dataset=dict(pipeline='
                   f'{_user_pipeline("hang")!r}))\n')
    report = tmp_path / 'report.txt'
    run = _cli(ann, '--prefix', root, '--decode', '--config', cfg,
               '--timeout', '3', '--out', report)
    assert run.returncode == 1, run.stderr
    assert '1 of 3 videos missing or unreadable' in run.stdout
    assert report.read_text().splitlines() == [
        f'{ann}:2: {root / "hang.mp4"}: timed out (no result after 3 s)'
    ]


def test_a_pipeline_that_cannot_be_built_fails_the_check(videos):
    from maxclip_mmaction.datasets.decode_check import check_decoding
    root, _ = videos
    # HangOnName is not registered without its module.
    with pytest.raises(
            RuntimeError, match='(?s)could not start.*HangOnName is not in'):
        check_decoding([str(root / 'good.mp4')], _user_pipeline('hang'))


def test_cli_refuses_a_timeout_that_is_not_positive(videos):
    root, ann = videos
    run = _cli(ann, '--decode', '--timeout', '0')
    assert run.returncode == 2
    assert '--timeout must be positive, got 0.0' in run.stderr
