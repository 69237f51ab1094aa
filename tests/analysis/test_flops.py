import glob
import json
import os.path as osp

import pytest
import torch

from maxclip_mmaction.analysis import (arch_dims, arch_flops, count_flops,
                                       vit_video_flops)
from maxclip_mmaction.models import MaxCLIPViT
from maxclip_mmaction.testing import tiny_clip_cfg


def test_formula_equals_flop_counter_for_every_s_and_position():
    clip = torch.randn(2, 3, 4, 32, 32)
    for s in (0, 1, 2):
        for position in ('after', 'before'):
            model = MaxCLIPViT(
                tiny_clip_cfg(),
                num_frames=4,
                pool_layers=s,
                pool_position=position).eval()
            counted = count_flops(model, clip)
            analytic = arch_flops(tiny_clip_cfg(), 4, s, position)
            assert counted == 2 * analytic, (s, position)  # batch of 2


def test_counter_sees_attention_under_no_grad():
    # The MHA inference fast path hides attention from FlopCounterMode;
    # count_flops must switch it off (and restore it).
    model = MaxCLIPViT(tiny_clip_cfg(), num_frames=2, pool_layers=0).eval()
    parts = vit_video_flops(
        frames=2, breakdown=True, **arch_dims(tiny_clip_cfg()))
    assert parts['sdpa'] > 0
    assert count_flops(model, torch.randn(1, 3, 2, 32, 32)) == parts['total']
    assert torch.backends.mha.get_fastpath_enabled()


def test_formula_matches_counter_on_full_size_vit_b16_meta():
    with torch.device('meta'):
        model = MaxCLIPViT('ViT-B-16', num_frames=8, pool_layers=3).eval()
        clip = torch.empty(1, 3, 8, 224, 224)
    assert count_flops(model, clip) == arch_flops('ViT-B-16', 8, 3)


def test_known_vit_b16_cost_and_pool_overhead():
    # CLIP ViT-B/16 at 224 px: 17.56 GMACs per frame (fvcore's "GFLOPs").
    plain = arch_flops('ViT-B-16', 8, 0)
    assert plain / 2 / 8 / 1e9 == pytest.approx(17.56, abs=0.01)
    # after: the pooled frame skips the attention of its own block
    assert plain < arch_flops('ViT-B-16', 8, 1, 'after') < arch_flops(
        'ViT-B-16', 8, 1, 'before')


def test_breakdown_sums_to_total_and_bad_args_raise():
    dims = arch_dims('ViT-L-14')
    parts = vit_video_flops(frames=8, pool_layers=8, breakdown=True, **dims)
    assert sum(v for k, v in parts.items() if k != 'total') == \
        parts['total']
    assert parts['total'] == vit_video_flops(frames=8, pool_layers=8, **dims)
    with pytest.raises(ValueError, match='pool_layers'):
        vit_video_flops(frames=8, pool_layers=25, **dims)
    with pytest.raises(ValueError, match='position'):
        vit_video_flops(frames=8, pool_layers=1, position='mid', **dims)


def test_complexity_tool_tiny_table_checks_and_measures(
        tmp_path, capsys, load_tool):
    out = tmp_path / 'complexity.json'
    table = load_tool('complexity').main(
        ['--tiny', '--check', '--measure', '--iters', '1', '--out',
         str(out)])
    # frames 4, 8 x (s=0, s=1 and 2 in both positions)
    assert len(table) == 2 * 5
    assert all(row['match'] for row in table)
    assert all(row['views_per_s'] > 0 for row in table)
    # s = 0 has no position; parameters do not depend on s
    assert [r['position'] for r in table[:3]] == ['-', 'after', 'before']
    assert len({r['params_total_m'] for r in table}) == 1
    assert json.loads(out.read_text())[0]['arch'] == 'tiny'
    printed = capsys.readouterr().out
    assert printed.startswith('| arch | frames | s | position |')


def test_complexity_tool_csv_without_measure(tmp_path, load_tool):
    out = tmp_path / 'complexity.csv'
    table = load_tool('complexity').main([
        '--tiny', '--pool-layers', '0', '3', '--positions', 'before', '--out',
        str(out)
    ])
    assert [(r['frames'], r['s'], r['position'])
            for r in table] == [(4, 0, '-'), (4, 3, 'before'), (8, 0, '-'),
                                (8, 3, 'before')]
    assert 'views_per_s' not in table[0]
    lines = out.read_text().splitlines()
    assert lines[0].startswith('arch,frames,s,position') and len(lines) == 5


def test_complexity_tool_default_archs_use_paper_s_values(load_tool):
    table = load_tool('complexity').main(['--frames', '8'])
    rows = {(r['arch'], r['s'], r['position']): r for r in table}
    assert sorted({s for a, s, _ in rows
                   if a == 'ViT-B-16'}) == [0, 1, 3, 6, 9, 12]
    assert sorted({s
                   for a, s, _ in rows
                   if a == 'ViT-L-14'}) == [0, 3, 4, 8, 12, 24]
    assert len(table) == (1 + 5 * 2) + (1 + 5 * 2)
    # CLIP ViT-B/16 image tower: 86.2M parameters, 17.56 GMACs a frame
    b16 = rows[('ViT-B-16', 0, '-')]
    assert b16['params_image_m'] == pytest.approx(86.19, abs=0.01)
    assert b16['gmacs'] / 8 == pytest.approx(17.56, abs=0.01)
    assert rows[('ViT-L-14', 8, 'after')]['vs_s0_pct'] > 0


def test_every_shipped_config_has_a_row_in_the_default_table(load_tool):
    import inspect

    from mmengine.config import Config
    root = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    default = {k: p.default for k, p in inspect.signature(
        MaxCLIPViT).parameters.items()}
    tool = load_tool('complexity')
    args = tool.parse_args([])
    table = {(arch, ) + row for arch in args.archs
             for row in tool.settings(args, arch)}
    shipped = set()
    for path in glob.glob(osp.join(root, 'configs', '**', '*.py'),
                          recursive=True):
        if '_base_' in path:
            continue
        backbone = Config.fromfile(path).model.backbone
        if isinstance(backbone.get('clip_arch'), str):
            shipped.add(tuple(backbone.get(k, default[k]) for k in (
                'clip_arch', 'num_frames', 'pool_layers', 'pool_position')))
    assert ('ViT-B-16', 32, 9, 'after') in shipped  # the scan found them
    assert shipped - table == set()
