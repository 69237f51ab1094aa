"""Parameters, GFLOPs per view and (optionally) throughput of MaxCLIP.

One markdown table over archs x frames x s x position. GFLOPs come from
the analytic formula (``maxclip_mmaction.analysis.vit_video_flops``: image
tower, one clip, 2 FLOPs per multiply-add; GMACs = GFLOPs / 2 is the
fvcore convention most video papers print as "GFLOPs"). ``--check``
recounts every row with ``FlopCounterMode`` on the meta device (the real
module graph at full size, no compute). ``--measure`` times forward passes.

Examples::

    python tools/analysis/complexity.py --check --out complexity.json
    python tools/analysis/complexity.py --tiny --check --measure
"""
import argparse
import csv
import json
import time

import torch

import maxclip_mmaction  # noqa: F401  (registers modules, applies compat)
from maxclip_mmaction.analysis import arch_flops, count_flops, count_params
from maxclip_mmaction.models import MaxCLIPViT
from maxclip_mmaction.models.clip_utils import build_clip
from maxclip_mmaction.testing import tiny_clip_cfg

# Default s values per arch: the paper's settings (Tables 1-3) and ablations
# and every s a shipped config uses (B/16's mean-feature sweep adds 9 and
# 12); tests/analysis checks that each shipped config has its row.
DEFAULT_POOL_LAYERS = {
    'ViT-B-16': (0, 1, 3, 6, 9, 12),
    'ViT-L-14': (0, 3, 4, 8, 12, 24)
}
TINY = 'tiny'


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument(
        '--archs',
        nargs='+',
        default=['ViT-B-16', 'ViT-L-14'],
        help='open_clip model names')
    parser.add_argument('--frames', nargs='+', type=int, default=[8, 16, 32])
    parser.add_argument(
        '--pool-layers',
        nargs='+',
        type=int,
        default=None,
        help="s values (default: the paper's and the shipped configs' "
        'per arch)')
    parser.add_argument(
        '--positions',
        nargs='+',
        default=['after', 'before'],
        choices=['after', 'before'])
    parser.add_argument(
        '--tiny',
        action='store_true',
        help='the tiny test CLIP (width 64, 3 layers, 32 '
        'px), frames 4 8, s 0 1 2: for smoke tests')
    parser.add_argument(
        '--check',
        action='store_true',
        help='recount each row with FlopCounterMode')
    parser.add_argument(
        '--measure', action='store_true', help='time forward passes (views/s)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument(
        '--batch-size', type=int, default=1, help='views per timed forward')
    parser.add_argument('--iters', type=int, default=5)
    parser.add_argument(
        '--amp', action='store_true', help='fp16 autocast while timing (CUDA)')
    parser.add_argument(
        '--max-measure-gflops',
        type=float,
        default=None,
        help='time only rows up to this many GFLOPs per view '
        '(default: 5 on CPU, no limit otherwise)')
    parser.add_argument('--out', help='also write the rows (.json / .csv)')
    args = parser.parse_args(argv)
    if args.tiny:
        args.archs, args.frames = [TINY], [4, 8]
        args.pool_layers = args.pool_layers or [0, 1, 2]
    if args.max_measure_gflops is None:
        args.max_measure_gflops = 5.0 if args.device == 'cpu' else float('inf')
    return args


def resolve(arch: str):
    return tiny_clip_cfg() if arch == TINY else arch


def settings(args, arch: str):
    """(frames, s, position) of every row; s=0 has no position."""
    pool_layers = args.pool_layers or DEFAULT_POOL_LAYERS.get(arch)
    if pool_layers is None:
        raise ValueError(f'--pool-layers is needed for arch {arch!r} '
                         f'(default s values exist for '
                         f'{sorted(DEFAULT_POOL_LAYERS)})')
    for frames in args.frames:
        for s in pool_layers:
            for position in (['after'] if s == 0 else args.positions):
                yield frames, s, position


def arch_params(arch: str) -> dict:
    """Parameter counts (millions); the pool adds none, so once per arch."""
    with torch.device('meta'):  # shapes only: instant even for ViT-L
        clip, _ = build_clip(resolve(arch))
    return dict(
        params_image_m=count_params(clip.visual) / 1e6,
        params_total_m=count_params(clip) / 1e6)


def counted_flops(arch: str, frames: int, s: int, position: str) -> int:
    with torch.device('meta'):
        model = MaxCLIPViT(
            resolve(arch),
            num_frames=frames,
            pool_layers=s,
            pool_position=position).eval()
        size = model.visual.image_size[0]
        clip = torch.empty(1, 3, frames, size, size)
    return count_flops(model, clip)


@torch.no_grad()
def throughput(arch: str, frames: int, s: int, position: str, args) -> float:
    """Views per second of the image tower's forward pass."""
    model = MaxCLIPViT(
        resolve(arch),
        num_frames=frames,
        pool_layers=s,
        pool_position=position).eval().to(args.device)
    size = model.visual.image_size[0]
    clip = torch.randn(
        args.batch_size, 3, frames, size, size, device=args.device)
    amp = torch.autocast(
        args.device.split(':')[0], dtype=torch.float16, enabled=args.amp)
    with amp:
        model(clip)  # warm-up: allocations, kernel selection
        sync(args.device)
        start = time.perf_counter()
        for _ in range(args.iters):
            model(clip)
        sync(args.device)
    return args.iters * args.batch_size / (time.perf_counter() - start)


def sync(device: str) -> None:
    if device.startswith('cuda'):
        torch.cuda.synchronize(device)


def rows(args):
    for arch in args.archs:
        params = arch_params(arch)
        for frames, s, position in settings(args, arch):
            flops = arch_flops(resolve(arch), frames, s, position)
            plain = arch_flops(resolve(arch), frames, 0)
            row = dict(
                arch=arch,
                frames=frames,
                s=s,
                position=position if s else '-',
                **params,
                gflops=flops / 1e9,
                gmacs=flops / 2e9,
                vs_s0_pct=100 * (flops / plain - 1))
            if args.check:
                counted = counted_flops(arch, frames, s, position)
                row['counter_gflops'] = counted / 1e9
                row['match'] = counted == flops
            if args.measure:
                fits = row['gflops'] <= args.max_measure_gflops
                row['views_per_s'] = throughput(arch, frames, s, position,
                                                args) if fits else None
            yield row


def markdown(table) -> str:
    cols = list(table[0])
    lines = ['| ' + ' | '.join(cols) + ' |', '|' + '---|' * len(cols)]
    for row in table:
        lines.append('| ' + ' | '.join(fmt(row[c]) for c in cols) + ' |')
    return '\n'.join(lines)


def fmt(value) -> str:
    if value is None:
        return '-'
    if isinstance(value, float):
        return f'{value:.4g}' if value < 10 else f'{value:.1f}'
    return str(value)


def main(argv=None):
    args = parse_args(argv)
    table = list(rows(args))
    print(markdown(table))
    if args.check:
        bad = [r for r in table if not r['match']]
        if bad:
            raise SystemExit(f'analytic FLOPs differ from FlopCounterMode '
                             f'in {len(bad)} rows')
        print(f'\nFlopCounterMode agrees with the formula on all '
              f'{len(table)} rows.')
    if args.out:
        with open(args.out, 'w', newline='') as f:
            if args.out.endswith('.csv'):
                writer = csv.DictWriter(f, fieldnames=list(table[0]))
                writer.writeheader()
                writer.writerows(table)
            else:
                json.dump(table, f, indent=1)
    return table


if __name__ == '__main__':
    main()
