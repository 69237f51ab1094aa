"""End-to-end training throughput: clips/s of ``train_step``.

For each size, MaxCLIP (s = 1, max pooling) and plain ViFi-CLIP (s = 0,
mean pooling; same towers) run mmengine's ``model.train_step`` (data
preprocessor, image and text towers, loss, backward, AdamW step)
interleaved on batches already on the device. Sizes: ``synthmotion``
(the tiny SynthMotion configs, batch 8), ``b16-8f`` and ``b16-32f``
(ViT-B/16 at 224 px, 8 / 32 frames). On CUDA the step runs under bf16
AMP (mmengine ``AmpOptimWrapper``) with PyTorch's fused SDPA attention
(``nn.MultiheadAttention`` dispatches to it), and the model-FLOP
utilisation is printed: analytic train-step FLOPs (``common.train_flops``)
per second over the device's dense bf16 peak.

    python benchmarks/bench_train.py --out train.json
"""
import os.path as osp
import sys

import torch

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
import common  # noqa: E402

from maxclip_mmaction.testing import tiny_clip_cfg  # noqa: E402

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
SYNTH = osp.join(ROOT, 'configs', 'synthmotion',
                 'maxclip_tiny-{}_1xb8-8x2x1-24e_synthmotion-b2n.py')
TARGET_SLACK = 0.03
TARGET_MFU = 0.45


def parse_args():
    parser = common.base_parser(__doc__.splitlines()[0], repeats=None)
    # None: 20 steps (3 warm-up) for the ~0.1 s SynthMotion step, whose
    # timing is noisy, and for every size on CUDA; 2 for the ViT-B/16
    # sizes on CPU (14-47 s a step).
    parser.set_defaults(warmup=None)
    parser.add_argument('--sizes', nargs='+',
                        default=['synthmotion', 'b16-8f', 'b16-32f'])
    parser.add_argument('--batch', type=int, default=None,
                        help='batch for the ViT-B/16 sizes (default: 1 on '
                        'CPU, 8 on CUDA)')
    parser.add_argument('--num-classes', type=int, default=10)
    parser.add_argument('--grad-checkpointing', action='store_true')
    parser.add_argument('--peak-tflops', type=float, default=None,
                        help='device peak for MFU (default: by GPU name)')
    return parser.parse_args()


def model_cfgs(size, args, device):
    """(MaxCLIP cfg, plain-CLIP cfg, batch, classes) for one size."""
    if size == 'synthmotion':
        from mmengine.config import Config
        if osp.exists(SYNTH.format('s1')):
            ours = Config.fromfile(SYNTH.format('s1')).model.to_dict()
            base = Config.fromfile(SYNTH.format('s0-mean')).model.to_dict()
        else:  # the configs' own model: tiny CLIP, T=8, s=1
            ours = common.recognizer_cfg(tiny_clip_cfg(), 8, 1)
            base = common.recognizer_cfg(tiny_clip_cfg(), 8, 0)
        names = [f'class {i}' for i in range(8)]
        for cfg in (ours, base):
            cfg['cls_head']['class_names'] = names
        return ours, base, 2 if args.tiny else 8, 8
    arch = tiny_clip_cfg() if args.tiny else 'ViT-B-16'
    frames = int(size.split('-')[1].rstrip('f'))
    batch = args.batch or (8 if device.type == 'cuda' else 1)
    cfgs = [common.recognizer_cfg(arch, frames, s,
                                  num_classes=args.num_classes,
                                  grad_checkpointing=args.grad_checkpointing)
            for s in (1, 0)]
    return cfgs[0], cfgs[1], 1 if args.tiny else batch, args.num_classes


def build(cfg, batch, classes, device):
    from mmengine.optim import build_optim_wrapper
    model = common.build_model(cfg, device).train()
    amp = device.type == 'cuda'
    wrapper = build_optim_wrapper(model, dict(
        type='AmpOptimWrapper' if amp else 'OptimWrapper',
        **(dict(dtype='bfloat16') if amp else {}),
        optimizer=dict(type='AdamW', lr=1e-6, betas=(0.9, 0.98), eps=1e-8,
                       weight_decay=0.001)))
    frames = model.backbone.num_frames
    data = common.fake_batch(batch, frames, common.image_size(model),
                             classes)
    data['inputs'] = [x.to(device) for x in data['inputs']]  # on device
    return model, wrapper, data


def step_case(model, wrapper, data, device):
    def run():
        clock = common.Clock(device)
        clock.mark()
        model.train_step(data, wrapper)
        clock.mark()
        return clock.since()
    return run


def run_size(size, args, device):
    ours_cfg, base_cfg, batch, classes = model_cfgs(size, args, device)
    built = {name: build(cfg, batch, classes, device)
             for name, cfg in (('maxclip', ours_cfg), ('clip', base_cfg))}
    small = size == 'synthmotion'
    repeats = args.repeats or (20 if small or device.type == 'cuda' else 2)
    # A ViT-B/16 step on CPU is 14-47 s: no warm-up keeps the script under
    # 5 min (the paired ratio still compares like with like).
    default_warmup = 3 if small or device.type == 'cuda' else 0
    warmup = args.warmup if args.warmup is not None else default_warmup
    times = common.interleaved(
        {k: step_case(*v, device) for k, v in built.items()}, repeats, warmup)
    flops = {k: common.train_flops(v[0], batch) for k, v in built.items()}
    peak = common.peak_tflops(device, args.peak_tflops) * 1e12
    row = dict(size=size, batch=batch, steps=repeats)
    for name in built:
        sec = common.median(times[name][args.clock])
        row[f'{name}_clips_s'] = batch / sec
        row[f'{name}_mfu'] = flops[name] / sec / peak
        row[f'{name}_tflop_s'] = flops[name] / sec / 1e12
    row['flop_ratio'] = flops['maxclip'] / flops['clip']
    row['time_ratio'] = common.paired_ratio(times['maxclip'][args.clock],
                                            times['clip'][args.clock])
    row['ratio_met'] = row['time_ratio'] <= row['flop_ratio'] + TARGET_SLACK
    del built
    return row, times, flops


def main():
    args = parse_args()
    device = common.setup(args)
    rows, raw = [], {}
    for size in args.sizes:
        row, times, flops = run_size(size, args, device)
        rows.append(row)
        raw[size] = dict(times=times, train_flops=flops)
        if device.type == 'cuda':
            torch.cuda.empty_cache()
    print(f'{device}, {"bf16 AMP" if device.type == "cuda" else "fp32"}, '
          f'{args.clock} clock, median of `steps` steps; '
          f'time_ratio = maxclip / clip step time (paired median); MFU '
          f'target {TARGET_MFU:.0%} (b16-32f on an H100)')
    common.print_table(rows, ['size', 'batch', 'steps', 'maxclip_clips_s',
                              'clip_clips_s', 'flop_ratio', 'time_ratio',
                              'ratio_met', 'maxclip_tflop_s', 'maxclip_mfu',
                              'clip_mfu'])
    common.write_json(args.out, dict(
        benchmark='train', args=vars(args), rows=rows, raw=raw,
        machine=common.machine_info(device)))


if __name__ == '__main__':
    main()
