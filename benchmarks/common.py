"""Shared helpers for the benchmark scripts: device, timing, FLOPs, output.

Every script measures its baseline and its own variant interleaved in one
process (round-robin, ``repeats`` rounds) and reports medians, so slow
drift on a shared machine hits both sides alike.
"""
import argparse
import contextlib
import json
import platform
import statistics
import sys
import time
from typing import Callable, Dict, List, Optional

import torch

# Dense bf16 tensor-core peaks (TFLOP/s) used for model-FLOP utilisation.
PEAK_BF16_TFLOPS = {'H100 PCIe': 756.0, 'H100': 989.0, 'H200': 989.0,
                    'A100': 312.0}


def base_parser(description: str, repeats: int) -> argparse.ArgumentParser:
    """The flags every script shares."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--device', default='auto',
                        help="'auto' (cuda when present), 'cpu' or 'cuda'")
    parser.add_argument('--repeats', type=int, default=repeats,
                        help='timed rounds (median reported)')
    parser.add_argument('--warmup', type=int, default=1,
                        help='untimed rounds before timing')
    parser.add_argument('--threads', type=int, default=0,
                        help='torch CPU threads (0: torch default)')
    parser.add_argument('--tiny', action='store_true',
                        help='tiny model / inputs (CI smoke run)')
    parser.add_argument('--out', default=None, help='write results JSON')
    return parser


def setup(args) -> torch.device:
    """Apply ``--threads`` and resolve ``--device``."""
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    if args.device == 'auto':
        return torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    if args.device == 'cuda' and not torch.cuda.is_available():
        raise SystemExit('--device cuda given but CUDA is not available')
    return torch.device(args.device)


def autocast(device: torch.device):
    """bf16 AMP on CUDA (fused SDPA kernels run in bf16); fp32 on CPU."""
    if device.type == 'cuda':
        return torch.autocast('cuda', dtype=torch.bfloat16)
    return contextlib.nullcontext()


def sync(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def time_call(fn: Callable[[], object], device: torch.device) -> float:
    """Seconds one call of ``fn`` takes (device-synchronised)."""
    sync(device)
    start = time.perf_counter()
    fn()
    sync(device)
    return time.perf_counter() - start


def interleaved(cases: Dict[str, Callable[[], object]], device: torch.device,
                repeats: int, warmup: int = 1) -> Dict[str, List[float]]:
    """Time every case once per round, round-robin; returns all times.

    Interleaving (rather than timing each case in a block) spreads the
    noise of a shared machine over all cases evenly.
    """
    for _ in range(warmup):
        for fn in cases.values():
            fn()
    times = {name: [] for name in cases}
    for _ in range(repeats):
        for name, fn in cases.items():
            times[name].append(time_call(fn, device))
    return times


def median(values: List[float]) -> float:
    return statistics.median(values)


def paired_ratio(ours: List[float], base: List[float]) -> float:
    """Median of per-round ratios: robust to drift between rounds."""
    return statistics.median(o / b for o, b in zip(ours, base))


# ---------------------------------------------------------------- FLOPs
def block_flops(tokens: int, width: int, mlp_ratio: float = 4.0) -> dict:
    """FLOPs (2 per multiply-add) of one ViT block on one frame.

    attention: q, k, v and output projections ``4 * 2*N*D^2`` plus the
    two attention matmuls ``Q K^T`` and ``A V``, ``2 * 2*N^2*D``;
    MLP: two linears ``2 * 2*N*D*(r*D)``. Norms, softmax, GELU and the
    max-pool itself are memory-bound and left out (< 1%).
    """
    n, d = tokens, width
    attn = 8 * n * d * d + 4 * n * n * d
    mlp = 4 * n * d * int(mlp_ratio * d)
    return dict(attn=attn, mlp=mlp, block=attn + mlp)


def maxclip_flop_ratio(frames: int, layers: int, pool_layers: int,
                       position: str, tokens: int, width: int,
                       mlp_ratio: float = 4.0) -> float:
    """MaxCLIP block FLOPs over plain CLIP's ``T * L`` frame-blocks.

    Pooled layer k (k = 0 .. s-1, the last s blocks) receives ``T + k``
    frames. 'after': attention on ``T + k`` frames, MLP on ``T + k + 1``
    (the new frame skips this layer's attention). 'before': the whole
    block on ``T + k + 1``. So the extra work is
    after:  sum_k (k * attn + (k + 1) * mlp) = s(s-1)/2 attn + s(s+1)/2 mlp
    before: sum_k (k + 1) * block            = s(s+1)/2 block
    and ratio = 1 + extra / (T * L * block).
    """
    f = block_flops(tokens, width, mlp_ratio)
    s = pool_layers
    if position == 'after':
        extra = s * (s - 1) // 2 * f['attn'] + s * (s + 1) // 2 * f['mlp']
    elif position == 'before':
        extra = s * (s + 1) // 2 * f['block']
    else:
        raise ValueError(f"position must be 'after' or 'before', got "
                         f'{position!r}')
    return 1.0 + extra / (frames * layers * f['block'])


def vit_dims(visual) -> dict:
    """Tokens per frame, width, layers and MLP ratio of an open_clip ViT."""
    grid = visual.grid_size
    blocks = visual.transformer.resblocks
    width = visual.transformer.width
    return dict(tokens=grid[0] * grid[1] + 1, width=width,
                layers=len(blocks),
                mlp_ratio=blocks[0].mlp.c_fc.out_features / width)


def count_flops(fn: Callable[[], object]) -> int:
    """FLOPs of one call, counted by torch's dispatcher (matmul-class ops)."""
    from torch.utils.flop_counter import FlopCounterMode
    with FlopCounterMode(display=False) as counter:
        fn()
    return counter.get_total_flops()


def peak_tflops(device: torch.device, override: Optional[float]) -> float:
    """The device's dense bf16 peak; ``override`` wins when given."""
    if override:
        return override
    if device.type != 'cuda':
        return float('nan')
    name = torch.cuda.get_device_name(device)
    for key, value in PEAK_BF16_TFLOPS.items():
        if key in name:
            return value
    return float('nan')


# --------------------------------------------------------------- output
def machine_info(device: torch.device) -> dict:
    info = dict(python=sys.version.split()[0], torch=torch.__version__,
                platform=platform.platform(), processor=platform.processor(),
                threads=torch.get_num_threads(), device=str(device),
                date=time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()))
    if device.type == 'cuda':
        info['gpu'] = torch.cuda.get_device_name(device)
    return info


def print_table(rows: List[dict], columns: List[str]) -> None:
    """Print rows as a Markdown table (paste-able into the README)."""
    def fmt(v):
        if isinstance(v, float):
            return f'{v:.4g}' if abs(v) < 1e4 else f'{v:.3e}'
        return str(v)
    cells = [[fmt(r.get(c, '')) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells))
              for i, c in enumerate(columns)]
    print('| ' + ' | '.join(c.ljust(w) for c, w in zip(columns, widths))
          + ' |')
    print('|' + '|'.join('-' * (w + 2) for w in widths) + '|')
    for row in cells:
        print('| ' + ' | '.join(v.ljust(w) for v, w in zip(row, widths))
              + ' |')


def write_json(path: Optional[str], payload: dict) -> None:
    if path:
        with open(path, 'w') as f:
            json.dump(payload, f, indent=2, default=str)
        print(f'wrote {path}')
