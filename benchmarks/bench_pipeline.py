"""Data pipeline: clips/s per worker, ours against MMAction2's stock one.

Both pipelines decode the same generated K-400-like and SSv2-like videos
(``videos.py``) with the same TSN-style sampling (``UniformSample``: one
frame per segment, random in training, fixed in testing) and give the
same tensor shapes. Pipelines run one clip at a time in this one process
(= one dataloader worker), interleaved video by video; a per-transform
profile shows where the time goes.

Stock (train): DecordInit, UniformSample, DecordDecode, Resize(-1, 256),
MultiScaleCrop(224, scales 1/.875/.75/.66), Resize(224, 224), Flip,
ColorJitter(.4, .4, .2), FormatShape, PackActionInputs; (test):
Resize(-1, 256), CenterCrop(224). MMAction2's ColorJitter has no
probability and no grayscale, and its hue step overflows uint8 under
NumPy 2 (``OverflowError`` for a negative shift), so stock runs with
``hue=0`` (less work than ViFi-CLIP's recipe: in the stock's favour).

Ours: the same decode and sampling; the geometric transforms run in
MMAction2's lazy mode, so ``Fuse`` crops the original frame and resizes
once (no full-frame resize to 256 first); colour jitter and grayscale
move to ``ColorJitterDataPreprocessor`` (batched, on the GPU in
training). Its cost per clip on ``--device`` (default CPU: a machine
without a GPU) is measured too; ``ours+jitter`` adds it to ours.

Config: when present, the repository's own K-400 b2n pipelines
(``configs/_base_/datasets/kinetics400_b2n.py``, T set to ``--frames``)
run too; ``vs_config`` is ours' speedup over them.

    python benchmarks/bench_pipeline.py --out pipeline.json
"""
import os.path as osp
import sys
import tempfile
import time

import torch

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
import common  # noqa: E402
import videos  # noqa: E402

TARGET_SPEEDUP = 1.5
ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
CONFIG = osp.join(ROOT, 'configs', '_base_', 'datasets', 'kinetics400_b2n.py')
SCALES = (1, .875, .75, .66)


def parse_args():
    parser = common.base_parser(__doc__.splitlines()[0], repeats=3)
    parser.set_defaults(warmup=0, device='cpu')
    parser.add_argument('--frames', type=int, default=8)
    parser.add_argument('--num-videos', type=int, default=4,
                        help='videos of each kind')
    parser.add_argument('--kinds', nargs='+', default=['k400', 'ssv2'])
    parser.add_argument('--video-dir', default=osp.join(
        tempfile.gettempdir(), 'maxclip_bench_videos'))
    return parser.parse_args()


def pipelines(frames: int, size: int, short: int) -> dict:
    """Stock and our train / test pipeline configs."""
    head = [dict(type='DecordInit'),
            dict(type='UniformSample', clip_len=frames, num_clips=1),
            dict(type='DecordDecode')]
    test_head = [head[0], dict(head[1], test_mode=True), head[2]]
    tail = [dict(type='FormatShape', input_format='NCTHW'),
            dict(type='PackActionInputs')]

    def train_geo(lazy):
        return [dict(type='Resize', scale=(-1, short), lazy=lazy),
                dict(type='MultiScaleCrop', input_size=size, scales=SCALES,
                     random_crop=False, max_wh_scale_gap=1, lazy=lazy),
                dict(type='Resize', scale=(size, size), keep_ratio=False,
                     lazy=lazy),
                dict(type='Flip', flip_ratio=0.5, lazy=lazy)]

    def test_geo(lazy):
        return [dict(type='Resize', scale=(-1, short), lazy=lazy),
                dict(type='CenterCrop', crop_size=size, lazy=lazy)]
    jitter = dict(type='ColorJitter', brightness=0.4, contrast=0.4,
                  saturation=0.2, hue=0)
    fuse = dict(type='Fuse')
    pipes = {
        ('train', 'stock'): head + train_geo(False) + [jitter] + tail,
        ('train', 'ours'): head + train_geo(True) + [fuse] + tail,
        ('test', 'stock'): test_head + test_geo(False) + tail,
        ('test', 'ours'): test_head + test_geo(True) + [fuse] + tail}
    if osp.exists(CONFIG) and size == 224:
        pipes.update(config_pipelines(frames))
    return pipes


def config_pipelines(frames: int) -> dict:
    """The repository's K-400 b2n pipelines as configured, T frames."""
    from mmengine.config import Config
    cfg = Config.fromfile(CONFIG)
    pipes = {}
    for mode, key in (('train', 'train_pipeline'), ('test', 'val_pipeline')):
        steps = [dict(c) for c in cfg[key]]
        for c in steps:
            if c['type'] in ('UniformSample', 'SampleFrames'):
                c['clip_len'] = frames
        pipes[(mode, 'config')] = steps
    return pipes


class Profiled:
    """A built pipeline that times each transform (wall and CPU)."""

    def __init__(self, cfgs):
        from mmaction.registry import TRANSFORMS
        self.names = [c['type'] for c in cfgs]
        self.transforms = [TRANSFORMS.build(c) for c in cfgs]
        self.profile = [dict(wall=0.0, cpu=0.0) for _ in cfgs]

    def __call__(self, filename: str) -> dict:
        results = dict(filename=filename, label=0, start_index=0,
                       modality='RGB')
        for t, prof in zip(self.transforms, self.profile):
            w, c = time.perf_counter(), time.process_time()
            results = t(results)
            prof['wall'] += time.perf_counter() - w
            prof['cpu'] += time.process_time() - c
        return results


def jitter_cost(frames: int, size: int, clock: str, device: torch.device,
                batch: int = 8) -> float:
    """Seconds per clip of ``ColorJitterDataPreprocessor``'s jitter.

    Measured on ``--device`` (the pipelines themselves always run on the
    CPU): ``--device cuda`` gives the cost where training puts it.
    """
    from mmaction.registry import MODELS
    pre = MODELS.build(dict(type='ColorJitterDataPreprocessor',
                            format_shape='NCTHW')).to(device)
    x = torch.randint(0, 256, (batch, 1, 3, frames, size, size),
                      device=device).float()
    pre.jitter(x)
    clock_ = common.Clock(device)
    clock_.mark()
    for _ in range(3):
        pre.jitter(x)
    clock_.mark()
    return clock_.since()[clock] / (3 * batch)


def run_kind(kind, files, args, size, short):
    """Interleaved rounds over ``files``; one row per (mode, pipeline)."""
    built = {k: Profiled(v) for k, v in pipelines(args.frames, size,
                                                  short).items()}
    times = {k: [] for k in built}
    shapes = {}
    for _ in range(args.repeats):
        for f in files:
            for key, pipe in built.items():
                clock = common.Clock(torch.device('cpu'))
                clock.mark()
                out = pipe(f)
                clock.mark()
                times[key].append(clock.since()[args.clock])
                shapes[key] = tuple(out['inputs'].shape)
    for mode, _ in built:
        if shapes[(mode, 'stock')] != shapes[(mode, _)]:
            raise RuntimeError(f'{kind} {mode}: output shapes differ: '
                               f'{shapes}')
    return built, times, shapes


def summary_row(kind, mode, times, shapes, jitter_s):
    """clips/s of each pipeline of one mode and ours' speedups."""
    sec = {p: common.median(times[(m, p)]) for m, p in times if m == mode}
    row = dict(data=kind, mode=mode, shape=str(shapes[(mode, 'ours')]),
               **{f'{p}_clips_s': 1 / v for p, v in sec.items()},
               speedup=sec['stock'] / sec['ours'])
    if 'config' in sec:
        row['vs_config'] = sec['config'] / sec['ours']
    if mode == 'train':
        row['ours+jitter'] = sec['stock'] / (sec['ours'] + jitter_s)
    row['target_met'] = row['speedup'] >= TARGET_SPEEDUP
    return row


def main():
    args = parse_args()
    device = common.setup(args)
    import maxclip_mmaction  # noqa: F401  (registers our modules)
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    size, short = (32, 36) if args.tiny else (224, 256)
    jitter_s = jitter_cost(args.frames, size, args.clock, device)
    rows, payload = [], dict(benchmark='pipeline', args=vars(args),
                             machine=common.machine_info(device),
                             jitter_cpu_s_per_clip=jitter_s, kinds={})
    for kind in args.kinds:
        files = videos.make_videos(args.video_dir, kind, args.num_videos,
                                   args.tiny)
        built, times, shapes = run_kind(kind, files, args, size, short)
        for mode in ('train', 'test'):
            rows.append(summary_row(kind, mode, times, shapes, jitter_s))
        payload['kinds'][kind] = dict(
            raw={f'{m}/{p}': v for (m, p), v in times.items()},
            profile={f'{m}/{p}': list(zip(b.names, b.profile))
                     for (m, p), b in built.items()})
    print(f'T={args.frames}, {size}px, {args.num_videos} videos/kind x '
          f'{args.repeats} rounds, one worker, {args.clock} clock; jitter '
          f'in the preprocessor on {device}: {jitter_s * 1e3:.1f} ms/clip')
    common.print_table(rows, ['data', 'mode', 'shape', 'stock_clips_s',
                              'config_clips_s', 'ours_clips_s', 'speedup',
                              'ours+jitter', 'vs_config', 'target_met'])
    print_profile(payload, args)
    payload['rows'] = rows
    common.write_json(args.out, payload)


def print_profile(payload, args):
    """Per-transform ms per clip (the profile evidence)."""
    n = args.repeats * args.num_videos
    for kind, res in payload['kinds'].items():
        for key, prof in res['profile'].items():
            parts = ', '.join(f'{name} {p[args.clock] / n * 1e3:.1f}'
                              for name, p in prof)
            print(f'  {kind} {key} ms/clip: {parts}')


if __name__ == '__main__':
    main()
