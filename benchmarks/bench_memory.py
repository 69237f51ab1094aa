"""Memory: peak of one training step, with and without checkpointing.

One step = data preprocessor + backbone + text head + loss + backward
(no optimizer step). Each variant runs in a fresh subprocess, so one
variant's freed-but-cached memory cannot hide another's peak.

CPU: inside the child, parameter gradients are allocated up front, the
resident set size (``/proc/self/statm``) is read just before the step,
and ``getrusage(RUSAGE_SELF).ru_maxrss`` just after; their difference is
the step's peak activation (+ temporaries) memory. CUDA: the same step's
``torch.cuda.max_memory_allocated`` minus the memory allocated before
it, and with ``--max-batch`` the largest batch whose whole
``model.train_step`` (bf16 AMP, AdamW and its state) fits per GPU.

    python benchmarks/bench_memory.py --out memory.json
"""
import argparse
import json
import os
import os.path as osp
import resource
import subprocess
import sys

import torch

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
import common  # noqa: E402

from maxclip_mmaction.testing import tiny_clip_cfg  # noqa: E402

TARGET_CUT = 2.0
MIB = 2**20


def parse_args(argv=None):
    parser = common.base_parser(__doc__.splitlines()[0], repeats=1)
    parser.add_argument('--arch', default='ViT-B-16')
    parser.add_argument('--frames', type=int, default=8)
    parser.add_argument('--batch', type=int, default=2)
    parser.add_argument('--pool-layers', type=int, default=1)
    parser.add_argument('--num-classes', type=int, default=10,
                        help='class prompts the text head encodes per step')
    parser.add_argument('--max-batch', action='store_true',
                        help='CUDA only: largest per-GPU batch for ViT-B/16 '
                        'and ViT-L/14 at --max-batch-frames')
    parser.add_argument('--max-batch-frames', type=int, default=32)
    parser.add_argument('--child', default=None, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def rss_bytes() -> int:
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE')


def train_step(model, data) -> None:
    """Forward + loss + backward, the part checkpointing affects."""
    data = model.data_preprocessor(data, training=True)
    with common.autocast(data['inputs'].device):
        losses = model(**data, mode='loss')
    sum(v for k, v in losses.items() if 'loss' in k).backward()


def measure(arch, frames, batch, pool_layers, num_classes, ckpt, device):
    """Peak bytes one training step adds (see the module docstring)."""
    cfg = common.recognizer_cfg(arch, frames, pool_layers,
                                num_classes=num_classes,
                                grad_checkpointing=ckpt)
    model = common.build_model(cfg, device).train()
    data = common.fake_batch(batch, frames, common.image_size(model),
                             num_classes)
    for p in model.parameters():  # gradients are not activations
        p.grad = torch.zeros_like(p)
    if device.type == 'cuda':
        torch.cuda.synchronize(device)
        torch.cuda.reset_peak_memory_stats(device)
        before = torch.cuda.memory_allocated(device)
        train_step(model, data)
        torch.cuda.synchronize(device)
        return dict(peak_bytes=torch.cuda.max_memory_allocated(device)
                    - before, method='cuda max_memory_allocated')
    before = rss_bytes()
    max_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    train_step(model, data)
    max_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return dict(peak_bytes=max_after - before, method='ru_maxrss - rss',
                reliable=max_after > max_before)


def max_batch(arch, frames, ckpt, device, limit=1024) -> int:
    """Largest per-GPU batch whose full training step fits: bf16 AMP,
    AdamW with its state, exactly ``model.train_step`` as the runner
    calls it. The model and optimizer are built once; every trial batch
    reuses them."""
    from mmengine.optim import build_optim_wrapper
    cfg = common.recognizer_cfg(arch, frames, 1, grad_checkpointing=ckpt)
    model = common.build_model(cfg, device).train()
    wrapper = build_optim_wrapper(model, dict(
        type='AmpOptimWrapper', dtype='bfloat16',
        optimizer=dict(type='AdamW', lr=1e-6, weight_decay=0.001)))

    def fits(batch: int) -> bool:
        data = common.fake_batch(batch, frames, common.image_size(model), 10)
        try:
            model.train_step(data, wrapper)
            return True
        except torch.cuda.OutOfMemoryError:
            return False
        finally:
            del data
            wrapper.zero_grad(set_to_none=True)
            torch.cuda.empty_cache()

    return common.largest_fitting(fits, limit)


def run_child(args) -> list:
    """Run one variant in a fresh interpreter; returns its JSON list."""
    cmd = [sys.executable, osp.abspath(__file__), '--child', args.child,
           '--device', args.device, '--threads', str(args.threads),
           '--arch', args.arch, '--frames', str(args.frames),
           '--batch', str(args.batch), '--pool-layers',
           str(args.pool_layers), '--num-classes', str(args.num_classes),
           '--max-batch-frames', str(args.max_batch_frames)]
    cmd += ['--tiny'] if args.tiny else []
    out = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def child_main(args) -> None:
    device = common.setup(args)
    arch = tiny_clip_cfg() if args.tiny else args.arch
    if args.child == 'max_batch':
        rows = []
        for name in ('ViT-B-16', 'ViT-L-14'):
            for ckpt in (False, True):
                rows.append(dict(arch=name, frames=args.max_batch_frames,
                                 checkpointing=ckpt, max_batch=max_batch(
                                     name, args.max_batch_frames, ckpt,
                                     device)))
    else:
        ckpt = args.child == 'ckpt'
        res = measure(arch, args.frames, args.batch, args.pool_layers,
                      args.num_classes, ckpt, device)
        rows = [dict(variant=args.child, checkpointing=ckpt,
                     peak_mib=res['peak_bytes'] / MIB, **res)]
    print(json.dumps(rows))


def main() -> None:
    args = parse_args()
    if args.child:
        return child_main(args)
    device = common.setup(args)
    runs = {'no_ckpt': [], 'ckpt': []}
    for _ in range(args.repeats):  # interleaved fresh processes
        for name in runs:
            args.child = name
            runs[name].append(run_child(args)[0])
    rows = []
    for name, results in runs.items():
        peak = common.median([r['peak_mib'] for r in results])
        rows.append(dict(variant=name, peak_mib=peak,
                         reliable=all(r.get('reliable', True)
                                      for r in results)))
    cut = rows[0]['peak_mib'] / max(rows[1]['peak_mib'], 1e-9)
    rows[1]['cut'] = cut
    rows[1]['target_met'] = cut >= TARGET_CUT
    print(f'{"tiny" if args.tiny else args.arch}, T={args.frames}, '
          f'B={args.batch}, s={args.pool_layers}, {args.num_classes} '
          f'classes, {device}; peak step memory (MiB), median of '
          f'{args.repeats} fresh processes')
    common.print_table(rows, ['variant', 'peak_mib', 'cut', 'target_met',
                              'reliable'])
    payload = dict(benchmark='memory', args=vars(args), rows=rows, raw=runs,
                   machine=common.machine_info(device))
    if args.max_batch and device.type == 'cuda':
        args.child = 'max_batch'
        payload['max_batch'] = run_child(args)
        common.print_table(payload['max_batch'], ['arch', 'frames',
                                                  'checkpointing',
                                                  'max_batch'])
    elif args.max_batch:
        print('--max-batch needs CUDA; skipped')
    common.write_json(args.out, payload)


if __name__ == '__main__':
    main()
