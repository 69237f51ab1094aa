"""Smoke runs of every benchmark script at a tiny size (no timing checks),
and the FLOP formula checked against torch's FLOP counter."""
import importlib.util
import json
import os.path as osp
import subprocess
import sys

import pytest
import torch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
BENCH = osp.join(ROOT, 'benchmarks')
# benchmarks/ is a folder of scripts, not a package: load its helpers
# under a name no other test module can clash with.
_spec = importlib.util.spec_from_file_location('maxclip_bench_common',
                                               osp.join(BENCH, 'common.py'))
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)


def run_tiny(name, tmp_path, *flags):
    """Run a script with ``--tiny``: (its JSON, its printed output)."""
    out = tmp_path / f'{name}.json'
    cmd = [
        sys.executable,
        osp.join(BENCH, name), '--tiny', '--out',
        str(out), *flags
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text()), proc.stdout


def run_script(name, tmp_path, *flags):
    res, stdout = run_tiny(name, tmp_path, '--threads', '1', '--device', 'cpu',
                           *flags)
    assert '|' in stdout  # the printed table
    return res


def test_bench_backbone_smoke(tmp_path):
    res = run_script('bench_backbone.py', tmp_path, '--repeats', '1',
                     '--pool-layers', '1', '2')
    names = [r['variant'] for r in res['rows']]
    assert names == [
        'open_clip', 's=1 after', 's=1 before', 's=2 after', 's=2 before'
    ]
    assert all(r['fwd_bwd_ratio'] > 0 for r in res['rows'][1:])
    assert res['rows'][1]['flop_ratio'] < res['rows'][2]['flop_ratio']


def test_bench_memory_smoke(tmp_path):
    res = run_script('bench_memory.py', tmp_path, '--batch', '1')
    assert [r['variant'] for r in res['rows']] == ['no_ckpt', 'ckpt']
    assert all(r['peak_mib'] >= 0 for r in res['rows'])
    assert 'cut' in res['rows'][1]


def test_bench_pipeline_smoke(tmp_path):
    res = run_script('bench_pipeline.py', tmp_path, '--repeats', '1',
                     '--num-videos', '1', '--frames', '4', '--video-dir',
                     str(tmp_path / 'videos'))
    rows = res['rows']
    assert [(r['data'], r['mode']) for r in rows] == [('k400', 'train'),
                                                      ('k400', 'test'),
                                                      ('ssv2', 'train'),
                                                      ('ssv2', 'test')]
    assert all(r['shape'] == '(1, 3, 4, 32, 32)' for r in rows)


def test_bench_train_smoke(tmp_path):
    res = run_script('bench_train.py', tmp_path, '--repeats', '1', '--warmup',
                     '0', '--sizes', 'synthmotion', 'b16-8f')
    assert [r['size'] for r in res['rows']] == ['synthmotion', 'b16-8f']
    assert all(r['maxclip_clips_s'] > 0 and r['flop_ratio'] > 1
               for r in res['rows'])


DECODE_ALL = [
    'decord, buffer (DecordInit)', 'decord, path (SafeDecordInit, no check)',
    'decord, path + truncation check (SafeDecordInit)', 'PyAV, direct'
]
PYAV_INIT = 'PyAV (PyAVInit/PyAVDecode)'
SAFE, NO_CHECK = DECODE_ALL[2], DECODE_ALL[1]


def test_bench_decoders_smoke(tmp_path):
    res, stdout = run_tiny('bench_decoders.py', tmp_path, '--threads', '1',
                           '--device', 'cpu', '--warmup', '0')
    rows = res['rows']
    cells = sorted((r['container'], r['sampling'], r['decoder']) for r in rows)
    assert cells == sorted((c, s, d) for c in ('mp4', 'webm', 'avi')
                           for s in ('train', 'test')
                           for d in DECODE_ALL + [PYAV_INIT])
    exact = {}
    for r in rows:
        if isinstance(r['clips_per_s'], str):  # 'fails: ...'
            assert r['decoder'] == PYAV_INIT, r
            continue
        assert r['clips_per_s'] > 0 and r['vs_buffer'] > 0
        if r['sampling'] == 'test':  # 3 clips of 8 frames
            assert r['exact_frames'] == '24/24', r
            assert r['max_abs_diff'] == 0
            exact.setdefault(r['container'], set()).add(r['decoder'])
    # the frames-identical column is full for every decoder but PyAVInit
    assert all(set(DECODE_ALL) <= v for v in exact.values())
    assert set(exact) == {'mp4', 'webm', 'avi'}
    corpus = {(r['container'], r['file']): r for r in res['corpus']}
    files = [
        'cut 50 %', 'zero bytes', 'text file', 'header only (1 KiB)',
        'random bytes'
    ]
    assert sorted(corpus) == sorted(
        (c, f) for c in ('mp4', 'webm', 'avi') for f in files)
    assert all(r[SAFE] == 'raise' for r in corpus.values())
    # decord by path passes cut WebM / AVI silently: the truncation
    # check is what makes SafeDecordInit raise on them
    assert [corpus[(c, 'cut 50 %')][NO_CHECK]
            for c in ('webm', 'avi')] == ['silent', 'silent']
    # a crash reads 'crash (signal 11)'
    direct = {r['PyAV, direct'].split(' (')[0] for r in corpus.values()}
    assert direct <= {'raise', 'silent', 'crash'}
    assert sorted(res['isolation_s']) == ['avi', 'mp4', 'webm']
    assert all(v > 0 for v in res['isolation_s'].values())
    # the printed tables: the timing one, then the corpus one
    assert '| exact_frames | max_abs_diff |' in stdout
    header = next(line for line in stdout.splitlines()
                  if line.startswith('| container | file '))
    assert [c.strip() for c in header.strip('| ').split(' | ')[2:]] == \
        DECODE_ALL[:3] + [PYAV_INIT, 'PyAV, direct']
    assert 'isolate_first_open, first open of a video' in stdout


INIT_CASES = [
    'open_clip', 'ours', 'open_clip+load', 'ours+load', 'ours+load+mmengine'
]


def test_bench_init_smoke(tmp_path):
    res, stdout = run_tiny('bench_init.py', tmp_path, '--threads', '1')
    assert res['arch'] == 'tiny'
    assert list(res['rows']) == INIT_CASES
    assert all(len(res['runs'][c]) == 1 for c in INIT_CASES)
    for row in res['rows'].values():
        assert row['cpu_s'] > 0 and row['peak_gib'] > 0
        assert row['growth_gib'] >= 0
    assert list(res['ratios']) == ['ours', 'ours+load', 'ours+load+mmengine']
    assert all(r['cpu_s'] > 0 and r['peak_gib'] > 0
               for r in res['ratios'].values())
    # the printed table: case, CPU s, peak GiB, growth GiB
    table = [
        line.split() for line in stdout.splitlines() if len(line.split()) == 4
    ]
    assert [row[0] for row in table] == INIT_CASES
    assert all(float(v) >= 0 for row in table for v in row[1:])
    assert stdout.count('target <= 1.1x') == 2


def test_bench_good_guest_smoke(tmp_path):
    res, stdout = run_tiny('bench_good_guest.py', tmp_path)
    assert sorted(res['median']) == ['with', 'without']
    assert all(len(res['raw'][side]) == 1 for side in res['median'])
    assert all(t > 0 for side in res['median'].values() for t in side)
    assert len(res['ratio']) == 2 and all(r > 0 for r in res['ratio'])
    for row in ('without import', 'with import', 'ratio with/without'):
        assert f'| {row} |' in stdout


@pytest.mark.parametrize('threshold,expected', [(37, 37), (1, 1), (0, 0),
                                                (64, 64), (5000, 1024)])
def test_largest_fitting_batch_search(threshold, expected):
    tried = []

    def fits(batch):
        tried.append(batch)
        return batch <= threshold

    assert common.largest_fitting(fits, limit=1024) == expected
    assert max(tried) <= 1024 and len(tried) <= 2 * 11


@pytest.mark.parametrize('position', ['after', 'before'])
def test_flop_ratio_matches_flop_counter(position):
    from maxclip_mmaction.analysis.flops import count_flops
    from maxclip_mmaction.models import MaxCLIPViT
    from maxclip_mmaction.models.clip_utils import build_clip
    from maxclip_mmaction.testing import tiny_clip_cfg
    cfg = tiny_clip_cfg(layers=4)
    clip, _ = build_clip(cfg)
    ours = MaxCLIPViT(cfg, num_frames=4, pool_layers=3, pool_position=position)
    x = torch.randn(1, 3, 4, 32, 32)
    # (B, C, T, H, W) -> (B*T, C, H, W)
    frames = x.transpose(1, 2).flatten(0, 1)
    base_flops = count_flops(clip.visual, frames)
    our_flops = count_flops(ours, x)
    dims = common.vit_dims(clip.visual)
    blocks = common.block_work(dims['width'], 4, dims['tokens'], 4)
    ratio = common.maxclip_flop_ratio(4, 4, 3, position, dims['tokens'],
                                      dims['width'])
    # The ratio leaves out the output projection of the 3 pooled frames'
    # class tokens (2 * D * E each); the rest of the extra is block work.
    proj = 3 * 2 * dims['width'] * clip.visual.output_dim
    counted = 1 + (our_flops - base_flops - proj) / blocks
    assert counted == pytest.approx(ratio, rel=1e-9)


def test_flop_ratio_closed_form():
    # after: s(s-1)/2 attn + s(s+1)/2 mlp extra; before: s(s+1)/2 blocks.
    n, d, t, layers, s = 197, 768, 8, 12, 6
    attn, mlp = 8 * n * d * d + 4 * n * n * d, 16 * n * d * d
    base = t * layers * (attn + mlp)
    after = 1 + (s * (s - 1) / 2 * attn + s * (s + 1) / 2 * mlp) / base
    before = 1 + s * (s + 1) / 2 * (attn + mlp) / base
    assert common.maxclip_flop_ratio(t, layers, s, 'after', n, d) == \
        pytest.approx(after, rel=1e-12)
    assert common.maxclip_flop_ratio(t, layers, s, 'before', n, d) == \
        pytest.approx(before, rel=1e-12)
