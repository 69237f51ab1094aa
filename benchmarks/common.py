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
    parser.add_argument('--clock', default='auto',
                        choices=['auto', 'wall', 'cpu'],
                        help="ratios from wall time or process CPU time; "
                        "'auto': cpu on a CPU device (robust to other "
                        "processes sharing the cores), wall on CUDA")
    parser.add_argument('--tiny', action='store_true',
                        help='tiny model / inputs (CI smoke run)')
    parser.add_argument('--out', default=None, help='write results JSON')
    return parser


def setup(args) -> torch.device:
    """Apply ``--threads`` and resolve ``--device``."""
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    if args.device == 'auto':
        device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    elif args.device == 'cuda' and not torch.cuda.is_available():
        raise SystemExit('--device cuda given but CUDA is not available')
    else:
        device = torch.device(args.device)
    if args.clock == 'auto':
        args.clock = 'cpu' if device.type == 'cpu' else 'wall'
    return device


class Clock:
    """Wall time and this process's CPU time (all threads) together."""

    def __init__(self, device: torch.device):
        self.device = device
        self.marks = []

    def mark(self) -> None:
        sync(self.device)
        self.marks.append((time.perf_counter(), time.process_time()))

    def since(self, i: int = 0, j: int = -1) -> Dict[str, float]:
        (w0, c0), (w1, c1) = self.marks[i], self.marks[j]
        return dict(wall=w1 - w0, cpu=c1 - c0)


def autocast(device: torch.device):
    """bf16 AMP on CUDA (fused SDPA kernels run in bf16); fp32 on CPU."""
    if device.type == 'cuda':
        return torch.autocast('cuda', dtype=torch.bfloat16)
    return contextlib.nullcontext()


def sync(device: torch.device) -> None:
    if device.type == 'cuda':
        torch.cuda.synchronize(device)


def interleaved(cases: Dict[str, Callable[[], Dict[str, float]]],
                repeats: int, warmup: int = 1) -> Dict[str, dict]:
    """Run every case once per round, round-robin, rotating the order.

    Each case returns a dict of named times (seconds) for one call.
    Interleaving (rather than timing each case in a block) and rotating
    the start spread the drift and noise of a shared machine over all
    cases evenly. Returns ``{case: {time name: [per-round values]}}``.
    """
    names = list(cases)
    for _ in range(warmup):
        for name in names:
            cases[name]()
    times = {name: {} for name in names}
    for r in range(repeats):
        for name in names[r % len(names):] + names[:r % len(names)]:
            for key, value in cases[name]().items():
                times[name].setdefault(key, []).append(value)
    return times


def fwd_bwd_timer(forward: Callable[[], torch.Tensor],
                  params: List[torch.Tensor], device: torch.device,
                  backward: bool = True) -> Callable[[], Dict[str, float]]:
    """A case timing ``forward`` and, optionally, its backward pass.

    The forward runs with autograd on (as in training) and is reported as
    ``fwd``; ``fwd_bwd`` adds ``out.sum().backward()``; each as wall
    (``*_wall``) and process CPU time (``*_cpu``). Grads are dropped after
    each call so every call allocates alike.
    """
    def run() -> Dict[str, float]:
        clock = Clock(device)
        clock.mark()
        with autocast(device):
            out = forward()
        clock.mark()
        times = {f'fwd_{k}': v for k, v in clock.since(0, 1).items()}
        if backward:
            out.float().sum().backward()
            clock.mark()
            times.update({f'fwd_bwd_{k}': v
                          for k, v in clock.since(0, 2).items()})
        for p in params:
            p.grad = None
        return times
    return run


def median(values: List[float]) -> float:
    return statistics.median(values)


def paired_ratio(ours: List[float], base: List[float]) -> float:
    """Median of per-round ratios: robust to drift between rounds."""
    return statistics.median(o / b for o, b in zip(ours, base))


def largest_fitting(fits, limit: int = 1024) -> int:
    """Largest ``b <= limit`` with ``fits(b)``, assuming ``fits`` is monotone
    (doubling from 1, then bisection); 0 if batch 1 does not fit."""
    lo, hi = 0, 1
    while hi <= limit and fits(hi):
        lo, hi = hi, hi * 2
    hi = min(hi, limit + 1)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if fits(mid) else (lo, mid)
    return lo


# ---------------------------------------------------------------- FLOPs
# Block parts of maxclip_mmaction.analysis.flops' breakdown (patch
# embedding and output projection left out).
BLOCK_PARTS = ('qkv', 'sdpa', 'attn_out', 'mlp')


def block_work(width: int, layers: int, tokens: int, frames: int,
               pool_layers: int = 0, position: str = 'after',
               mlp_ratio: float = 4.0) -> int:
    """FLOPs of the transformer blocks alone on ``frames`` frames."""
    from maxclip_mmaction.analysis.flops import vit_video_flops
    parts = vit_video_flops(width, layers, mlp_ratio, tokens, frames,
                            pool_layers, position, breakdown=True)
    return sum(parts[k] for k in BLOCK_PARTS)


def maxclip_flop_ratio(frames: int, layers: int, pool_layers: int,
                       position: str, tokens: int, width: int,
                       mlp_ratio: float = 4.0) -> float:
    """MaxCLIP block FLOPs over plain CLIP's ``T * L`` frame-blocks.

    Per frame and block (2 FLOPs per multiply-add; N tokens, width D, MLP
    ratio r): attn = 4 projections ``8 N D^2`` + the attention matmuls
    ``Q K^T`` and ``A V``, ``4 N^2 D``; mlp = ``4 r N D^2``. Pooled layer k
    (k = 0 .. s-1, the last s blocks) receives ``T + k`` frames. 'after':
    attention on ``T + k`` frames, MLP on ``T + k + 1`` (the new frame
    skips this layer's attention); 'before': the whole block on
    ``T + k + 1``. So the extra work over plain CLIP is
    after:  sum_k (k * attn + (k + 1) * mlp) = s(s-1)/2 attn + s(s+1)/2 mlp
    before: sum_k (k + 1) * block            = s(s+1)/2 block
    and ratio = 1 + extra / (T * L * block). The sums are evaluated by
    ``maxclip_mmaction.analysis.flops.vit_video_flops`` (the same
    per-block terms), whose parts this adds up.
    """
    ours = block_work(width, layers, tokens, frames, pool_layers, position,
                      mlp_ratio)
    return ours / block_work(width, layers, tokens, frames, 0, position,
                             mlp_ratio)


def vit_dims(visual) -> dict:
    """Tokens per frame, width, layers and MLP ratio of an open_clip ViT."""
    grid = visual.grid_size
    blocks = visual.transformer.resblocks
    width = visual.transformer.width
    return dict(tokens=grid[0] * grid[1] + 1, width=width,
                layers=len(blocks),
                mlp_ratio=blocks[0].mlp.c_fc.out_features / width)


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


# ---------------------------------------------------------------- models
def recognizer_cfg(arch, frames: int, pool_layers: int = 1,
                   position: str = 'after', num_classes: int = 10,
                   grad_checkpointing: bool = False) -> dict:
    """A MaxCLIP ``Recognizer3D`` config (random weights, offline).

    ``pool_layers=0`` with mean pooling is plain ViFi-CLIP, the baseline.
    """
    pooling = 'max' if pool_layers else 'mean'
    return dict(
        type='Recognizer3D',
        backbone=dict(type='MaxCLIPViT', clip_arch=arch, num_frames=frames,
                      pool_layers=pool_layers, pool_position=position,
                      grad_checkpointing=grad_checkpointing),
        cls_head=dict(type='VideoTextHead', clip_arch=arch,
                      class_names=[f'class {i}' for i in range(num_classes)],
                      pooling=pooling, average_clips='prob'),
        data_preprocessor=dict(
            type='ActionDataPreprocessor', mean=[123.675, 116.28, 103.53],
            std=[58.395, 57.12, 57.375], format_shape='NCTHW'))


def build_model(cfg: dict, device: torch.device):
    import maxclip_mmaction  # noqa: F401  (registers the modules)
    from mmaction.registry import MODELS
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    return MODELS.build(cfg).to(device)


def fake_batch(batch: int, frames: int, size: int, num_classes: int,
               seed: int = 0) -> dict:
    """A collated batch as the dataloader gives it: uint8 NCTHW clips."""
    from mmaction.structures import ActionDataSample
    g = torch.Generator().manual_seed(seed)
    inputs = [torch.randint(0, 256, (1, 3, frames, size, size), generator=g,
                            dtype=torch.uint8) for _ in range(batch)]
    samples = [ActionDataSample().set_gt_label(i % num_classes)
               for i in range(batch)]
    return dict(inputs=inputs, data_samples=samples)


def image_size(model) -> int:
    size = model.backbone.visual.image_size
    return size[0] if isinstance(size, (tuple, list)) else size


def train_flops(model, batch: int) -> float:
    """Model FLOPs of one training step (3x forward: fwd + 2x bwd).

    Forward = image tower on ``batch`` clips (``vit_video_flops``: patch
    embedding, blocks with the pooled frames' extra work, projection) +
    text tower on every class prompt, over the context ``VideoTextHead``
    runs (cut to the longest prompt). The MFU convention: recomputation by
    checkpointing is not counted.
    """
    from maxclip_mmaction.analysis.flops import vit_video_flops
    bb, head = model.backbone, model.cls_head
    vis = vit_dims(bb.visual)
    image = vit_video_flops(
        vis['width'], vis['layers'], vis['mlp_ratio'], vis['tokens'],
        bb.num_frames, bb.pool_layers, bb.pool_position,
        patch=bb.visual.patch_size[0], image_size=bb.visual.image_size[0],
        embed_dim=bb.embed_dim)
    tt = head.clip.transformer
    num_prompts, context = head.prompt_tokens.shape
    text = block_work(tt.width, len(tt.resblocks), context, num_prompts)
    return 3.0 * (batch * image + text)
