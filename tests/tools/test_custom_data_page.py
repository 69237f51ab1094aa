"""docs/custom_data.md's commands, as written, on generated videos.

The page's ``bash`` blocks run in order in one shell, in a folder holding
``my_videos/`` (3 classes x 5 generated videos) and links to the
repository's ``configs/`` and ``tools/``; the blocks the page marks as not
run by the test (install, GPUs) are left out.
"""
import json
import os
import os.path as osp
import re
import subprocess
import sys

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PAGE = osp.join(ROOT, 'docs', 'custom_data.md')
SKIP = '<!-- not run by the test'
CLASSES = ('clapping', 'jumping', 'waving_hand')
WORK = 'work_dirs/maxclip_tiny-s1_1xb4-8x1x1-5e_custom-rgb'


def page_commands(text):
    """The ``bash`` blocks of the page not marked ``SKIP``."""
    blocks = []
    for m in re.finditer(r'(?m)^```bash\n(.*?)^```\n', text, re.S):
        before = text[:m.start()].rstrip().rsplit('\n', 1)[-1]
        if not before.startswith(SKIP):
            blocks.append(m[1])
    return blocks


def test_page_marks_its_gpu_and_install_blocks():
    text = open(PAGE).read()
    runnable = page_commands(text)
    assert len(runnable) == 4
    assert text.count('```bash\n') == len(runnable) + 2
    assert not any('dist_train' in b or 'pip install' in b for b in runnable)


def test_custom_data_page_trains_and_tests_a_model(tmp_path):
    from maxclip_mmaction.testing import write_video
    for c, name in enumerate(CLASSES):
        os.makedirs(tmp_path / 'my_videos' / name)
        for i in range(5):
            write_video(
                str(tmp_path / 'my_videos' / name / f'{i}.mp4'),
                num_frames=16,
                size=(48, 64),
                seed=10 * c + i)
    for link in ('configs', 'tools'):
        os.symlink(osp.join(ROOT, link), tmp_path / link)
    script = tmp_path / 'page.sh'
    script.write_text('set -euo pipefail\n' +
                      '\n'.join(page_commands(open(PAGE).read())))
    env = dict(
        os.environ,
        OMP_NUM_THREADS='2',
        PATH=osp.dirname(sys.executable) + os.pathsep +
        os.environ.get('PATH', ''))
    env.pop('CUSTOM_DATA', None)
    run = subprocess.run(['bash', str(script)],
                         cwd=str(tmp_path),
                         capture_output=True,
                         text=True,
                         timeout=600,
                         env=env)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-3000:]
    # the lists: 3 / 1 / 1 videos a class, classes in folder order
    data = tmp_path / 'data' / 'custom'
    assert (data / 'classes.txt').read_text().split('\n')[:3] == \
        list(CLASSES)
    sizes = {
        part: len((data / f'{part}.txt').read_text().splitlines())
        for part in ('train', 'val', 'test')
    }
    assert sizes == dict(train=9, val=3, test=3)
    # a trained model: the best checkpoint on val and the last epoch
    work = tmp_path / WORK
    assert list(work.glob('best_acc_top1_epoch_*.pth'))
    assert (work / 'epoch_5.pth').is_file()
    # tested: the metrics in the test run's json, as the page says
    assert 'Epoch(test)' in run.stdout + run.stderr
    results = [json.loads(p.read_text()) for p in work.glob('*/*.json')]
    tested = [r for r in results if 'acc/top1' in r]
    assert tested and 0 <= tested[-1]['acc/top1'] <= 1
    assert tested[-1]['acc/failed'] == 0
