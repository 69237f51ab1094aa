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
_spec = importlib.util.spec_from_file_location(
    'maxclip_bench_common', osp.join(BENCH, 'common.py'))
common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(common)


def run_script(name, tmp_path, *flags):
    out = tmp_path / f'{name}.json'
    cmd = [sys.executable, osp.join(BENCH, name), '--tiny', '--threads',
           '1', '--device', 'cpu', '--out', str(out), *flags]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert '|' in proc.stdout  # the printed table
    return json.loads(out.read_text())


def test_bench_backbone_smoke(tmp_path):
    res = run_script('bench_backbone.py', tmp_path, '--repeats', '1',
                     '--pool-layers', '1', '2')
    names = [r['variant'] for r in res['rows']]
    assert names == ['open_clip', 's=1 after', 's=1 before', 's=2 after',
                     's=2 before']
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
    assert [(r['data'], r['mode']) for r in rows] == [
        ('k400', 'train'), ('k400', 'test'), ('ssv2', 'train'),
        ('ssv2', 'test')]
    assert all(r['shape'] == '(1, 3, 4, 32, 32)' for r in rows)


def test_bench_train_smoke(tmp_path):
    res = run_script('bench_train.py', tmp_path, '--repeats', '1',
                     '--warmup', '0', '--sizes', 'synthmotion', 'b16-8f')
    assert [r['size'] for r in res['rows']] == ['synthmotion', 'b16-8f']
    assert all(r['maxclip_clips_s'] > 0 and r['flop_ratio'] > 1
               for r in res['rows'])


@pytest.mark.parametrize('threshold,expected', [
    (37, 37), (1, 1), (0, 0), (64, 64), (5000, 1024)])
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
    ours = MaxCLIPViT(cfg, num_frames=4, pool_layers=3,
                      pool_position=position)
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
