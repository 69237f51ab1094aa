"""tools/convert_vificlip.py, wise_ft.py, average_checkpoints.py: a pickle
that would run code is refused by each and never runs; the scripts run.

The tools' work is tested in-process in tests/weights/.
"""
import importlib.util
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(__file__)))


def tool(name):
    """A script of tools/ as a module, to call its ``main(argv)``."""
    spec = importlib.util.spec_from_file_location(
        f'{name}_tool', osp.join(ROOT, 'tools', f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Payload:
    """Unpickling this would create the folder ``path``."""

    def __init__(self, path):
        self.path = str(path)

    def __reduce__(self):
        return (os.mkdir, (self.path, ))


@pytest.fixture
def good(tmp_path):
    """A small checkpoint of the layout the tools expect."""
    path = tmp_path / 'good.pth'
    torch.save(dict(meta=dict(epoch=1),
                    state_dict={'backbone.visual.conv1.weight':
                                torch.ones(2, 3, 1, 1)}), path)
    return str(path)


@pytest.mark.parametrize('which', ['convert', 'wise_ft', 'wise_ft_zero_shot',
                                   'average'])
def test_malicious_pickle_is_refused_and_never_runs(which, good, tmp_path):
    ran = tmp_path / 'payload_ran'
    evil = tmp_path / 'evil.pth'
    if which == 'convert':  # where ViFi-CLIP keeps its config
        torch.save(dict(model={'module.logit_scale': torch.ones(())},
                        config=Payload(ran)), evil)
        argv = ('convert_vificlip', [str(evil), str(tmp_path / 'o.pth')])
    else:
        torch.save(dict(meta=dict(note=Payload(ran)),
                        state_dict={'w': torch.ones(1)}), evil)
        argv = dict(
            wise_ft=('wise_ft', [str(evil), str(tmp_path / 'o.pth'),
                                 '--alpha', '0.5', '--zero-shot', good]),
            wise_ft_zero_shot=('wise_ft', [good, str(tmp_path / 'o.pth'),
                                           '--alpha', '0.5',
                                           '--zero-shot', str(evil)]),
            average=('average_checkpoints', [good, str(evil), '--out',
                                             str(tmp_path / 'o.pth')]),
        )[which]
    with pytest.raises(SystemExit, match='Refused to load .*evil.pth'):
        tool(argv[0]).main(argv[1])
    assert not ran.exists()
    assert not (tmp_path / 'o.pth').exists()


def test_average_checkpoints_script(tmp_path):
    paths = []
    for i in range(2):
        paths.append(str(tmp_path / f'epoch_{i}.pth'))
        torch.save(dict(meta=dict(epoch=i),
                        state_dict=dict(w=torch.full((2, ), float(i)))),
                   paths[-1])
    out = tmp_path / 'avg.pth'
    run = subprocess.run(
        [sys.executable, osp.join(ROOT, 'tools', 'average_checkpoints.py'),
         *paths, '--out', str(out)], cwd=str(tmp_path), capture_output=True,
        text=True, timeout=600, env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert run.returncode == 0, run.stderr[-2000:]
    ckpt = torch.load(out, weights_only=True)
    assert torch.equal(ckpt['state_dict']['w'], torch.full((2, ), 0.5))
    assert ckpt['meta']['epoch'] == 1
    assert [n for n in os.listdir(tmp_path) if n.startswith('.tmp')] == []
