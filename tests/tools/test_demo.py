"""tools/demo.py as a newcomer runs it: a quickstart-like work dir, the
checkpoint's class names, arguments checked before the heavy imports."""
import importlib.util
import json
import os
import os.path as osp
import re
import subprocess
import sys

import pytest
import torch
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.runner.checkpoint import (get_state_dict, save_checkpoint,
                                        weights_to_cpu)

from maxclip_mmaction.testing import write_video

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DEMO = osp.join(ROOT, 'tools', 'demo.py')
CONFIG = osp.join(
    ROOT, 'configs/synthmotion/maxclip_tiny-s1_1xb8-8x2x1-24e_synthmotion'
    '-b2n.py')
NAMES = ['moving left', 'moving right', 'growing', 'spinning']
ROW = re.compile(r'^ *\d+\. .+  \d\.\d{4}$')


def load_demo():
    spec = importlib.util.spec_from_file_location('maxclip_demo', DEMO)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_demo(*args, cwd=None):
    return subprocess.run([sys.executable, DEMO, *args],
                          cwd=cwd,
                          capture_output=True,
                          text=True,
                          timeout=300,
                          env=dict(os.environ, OMP_NUM_THREADS='1'))


@pytest.fixture(scope='module')
def work_dir(tmp_path_factory):
    """A work dir as a training run leaves it: a checkpoint whose head
    stores class names, and last_checkpoint naming it."""
    work = tmp_path_factory.mktemp('quickstart')
    cfg = Config.fromfile(CONFIG)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.cls_head.set_class_names(NAMES)
    ckpt = str(work / 'epoch_2.pth')
    save_checkpoint(
        dict(
            meta=dict(epoch=2),
            state_dict=weights_to_cpu(get_state_dict(model))), ckpt)
    (work / 'last_checkpoint').write_text(ckpt)
    write_video(str(work / 'clip.mp4'), num_frames=16)
    return work


def test_folder_checkpoint_and_stored_names_json_on_stdout(work_dir):
    run = run_demo(CONFIG, str(work_dir / 'clip.mp4'), '--checkpoint',
                   str(work_dir), '--json', '--topk', '3')
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout)  # nothing else on stdout
    assert out['checkpoint'] == str(work_dir / 'epoch_2.pth')
    ranking = out['ranking']
    assert [r['rank'] for r in ranking] == [1, 2, 3]
    assert {r['label'] for r in ranking} < set(NAMES)
    scores = [r['score'] for r in ranking]
    assert scores == sorted(scores, reverse=True) and sum(scores) <= 1.0001
    assert 'MultiScaleDeformableAttention' not in run.stderr


def test_plain_output_is_the_ranking_only(work_dir, capsys):
    demo = load_demo()
    demo.main([
        CONFIG,
        str(work_dir / 'clip.mp4'), '--checkpoint',
        str(work_dir / 'epoch_2.pth'), '--labels', 'a dog,a cat'
    ])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and all(ROW.match(line) for line in lines)
    assert {line.split('. ')[1].split('  ')[0].strip()
            for line in lines} == {'a dog', 'a cat'}


def test_help_and_bad_arguments_answer_before_heavy_imports(work_dir):
    video = str(work_dir / 'clip.mp4')
    helped = run_demo('--help')
    assert helped.returncode == 0 and '--checkpoint' in helped.stdout
    for args, expected in [
        ((CONFIG, 'nope.mp4'), 'video nope.mp4: no such file'),
        (('nope.py', video), 'config nope.py: no such file'),
        ((CONFIG, video, '--labels', ''), "--labels '' gives no class "
         'names'),
        ((CONFIG, video, '--label-file', 'none.txt'),
         '--label-file none.txt: no such file'),
        ((CONFIG, video, '--checkpoint', 'no_such_dir'),
         '--checkpoint no_such_dir: no such file or folder'),
        ((CONFIG, video), 'without --checkpoint'),
    ]:
        run = run_demo(*args)
        assert run.returncode == 2 and expected in run.stderr, (args, run)
        assert run.stdout == ''
    # parse_args alone (as the run above) imports neither torch nor
    # MMAction2: checked in a fresh interpreter
    probe = (f'import runpy, sys; d = runpy.run_path({DEMO!r}); '
             f'd["parse_args"]([{CONFIG!r}, {video!r}, "--checkpoint", '
             f'{str(work_dir)!r}]); '
             f'print(sorted(m for m in ("torch", "mmaction") '
             f'if m in sys.modules))')
    imported = subprocess.run([sys.executable, '-c', probe],
                              capture_output=True,
                              text=True,
                              timeout=120)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == '[]'


def test_folder_without_last_checkpoint_says_what_to_pass(tmp_path, work_dir):
    (tmp_path / 'epoch_1.pth').write_bytes(b'')
    run = run_demo(CONFIG, str(work_dir / 'clip.mp4'), '--checkpoint',
                   str(tmp_path))
    assert run.returncode == 2
    assert 'is a folder without a last_checkpoint file' in run.stderr
    assert f'--checkpoint {tmp_path / "epoch_1.pth"}' in run.stderr
    # last_checkpoint written where training ran: found by its file name
    demo = load_demo()
    (tmp_path / 'last_checkpoint').write_text('elsewhere/epoch_1.pth')
    args = demo.parse_args(
        [CONFIG,
         str(work_dir / 'clip.mp4'), '--checkpoint',
         str(tmp_path)])
    assert args.checkpoint == str(tmp_path / 'epoch_1.pth')
