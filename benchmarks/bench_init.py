"""Model build and load: the recognizer against ``open_clip.create_model``.

Four cases, each in its own fresh Python process with every import done
before the clock starts (CPU time by ``time.process_time``, peak RSS by
``resource.getrusage``):

* ``open_clip``: ``open_clip.create_model(arch)``;
* ``ours``: ``MODELS.build`` of a Recognizer3D with ``MaxCLIPViT`` and
  ``VideoTextHead`` for ``arch`` (no weights);
* ``open_clip+load`` / ``ours+load``: the same with ``pretrained`` set to a
  local weights file (random values of the arch's shapes in float16, as
  OpenAI's files are), ours followed by the backbone's and the head's
  ``init_weights`` (the loading this package does);
* ``ours+load+mmengine``: ``model.init_weights()`` instead, as the Runner
  calls it: mmengine's ``BaseModule.init_weights`` also records every
  parameter's mean before and after each child's init (its
  initialization log), two passes over all weights that any MMAction2
  recognizer pays.

Targets: ours / open_clip <= 1.1 for CPU time and for peak memory, both
without and with the load. One L/14 process peaks near 3.5 GB.

    python benchmarks/bench_init.py --arch ViT-L-14 --out init.json

``--tiny`` (the smoke run) registers ``maxclip_mmaction.testing``'s tiny
CLIP with open_clip under the name ``tiny`` (a model-config JSON in the
temporary folder) and runs the five cases once, one after another in a
single process, so each peak is the largest so far, not the case's own.
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import tempfile

TARGET = 1.1
TINY_ARCH = 'tiny'

# Runs in the child process: imports, ``setup`` (--tiny: the tiny arch
# and its weights), then the timed build (and load) of each case.
CHILD = r'''
import json, resource, sys, time
import open_clip, torch
from mmaction.registry import MODELS
from mmengine.registry import init_default_scope
import maxclip_mmaction  # noqa: F401
init_default_scope('mmaction')
MODELS.get('Recognizer3D')
torch.set_num_threads({threads})
{setup}
arch, weights = {arch!r}, {weights!r}
rss = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
for case in {cases!r}:
    base_rss, t0 = rss(), time.process_time()
    if case.startswith('open_clip'):
        model = open_clip.create_model(
            arch, pretrained=weights if case.endswith('load') else None)
    else:
        pretrained = weights if '+load' in case else None
        model = MODELS.build(dict(
            type='Recognizer3D',
            backbone=dict(type='MaxCLIPViT', clip_arch=arch,
                          pretrained=pretrained, num_frames=8,
                          pool_layers=1),
            cls_head=dict(type='VideoTextHead', clip_arch=arch,
                          pretrained=pretrained),
            data_preprocessor=dict(type='ActionDataPreprocessor',
                                   format_shape='NCTHW')))
        if case.endswith('mmengine'):
            model.init_weights()
        elif pretrained:
            model.backbone.init_weights()
            model.cls_head.init_weights()
    cpu = time.process_time() - t0
    print(json.dumps(dict(case=case, cpu_s=cpu, peak_gib=rss(),
                          growth_gib=rss() - base_rss)))
'''


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--arch', default='ViT-L-14')
    parser.add_argument(
        '--repeats',
        type=int,
        default=2,
        help='processes per case; the median is reported')
    parser.add_argument('--threads', type=int, default=1)
    parser.add_argument(
        '--weights',
        help='weights file to reuse (made in '
        'a temporary folder and deleted when not given)')
    parser.add_argument('--out', help='write the results as JSON here')
    parser.add_argument(
        '--tiny',
        action='store_true',
        help='tiny CLIP, every case once in one process '
        '(CI smoke run)')
    return parser.parse_args()


def weights_code(arch: str, path: str, arch_cfg: str = None) -> str:
    """Code that saves a float16 state dict of random values in ``arch``'s
    shapes; with ``arch_cfg``, that first writes the tiny CLIP's config
    there and registers it with open_clip as ``arch``."""
    code = 'import open_clip, torch\n'
    if arch_cfg:
        code += (f'import json\n'
                 f'from maxclip_mmaction.testing import tiny_clip_cfg\n'
                 f'with open({arch_cfg!r}, "w") as f:\n'
                 f'    json.dump(tiny_clip_cfg(), f)\n'
                 f'open_clip.add_model_config({arch_cfg!r})\n')
    code += (f'torch.manual_seed(0)\n'
             f'm = open_clip.create_model({arch!r})\n'
             f'torch.save({{k: v.half() for k, v in '
             f'm.state_dict().items()}}, {path!r})\n'
             f'del m\n')
    return code


def make_weights(arch: str, path: str) -> None:
    """Run ``weights_code`` in a process of its own."""
    subprocess.run(
        [sys.executable, '-c', weights_code(arch, path)], check=True)


def run_cases(cases: list,
              arch: str,
              weights: str,
              threads: int,
              setup: str = '') -> list:
    """Run ``cases`` in order in one fresh process: one result each."""
    code = CHILD.format(
        cases=cases, arch=arch, weights=weights, threads=threads, setup=setup)
    proc = subprocess.run([sys.executable, '-c', code],
                          capture_output=True,
                          text=True)
    if proc.returncode:
        raise RuntimeError(f'{", ".join(cases)} failed:\n'
                           f'{proc.stderr[-3000:]}')
    # mmengine's initialization log goes to stdout too
    return [
        json.loads(line) for line in proc.stdout.splitlines()
        if line.startswith('{"case": ')
    ]


def median(values):
    values = sorted(values)
    n = len(values)
    return (values[(n - 1) // 2] + values[n // 2]) / 2


def ratio(ours, theirs):
    """``ours / theirs``; NaN for a zero ``theirs`` (a growth of 0: in the
    one process of --tiny a case can stay under an earlier case's peak)."""
    return ours / theirs if theirs else float('nan')


def main():
    args = parse_args()
    tmp = tempfile.TemporaryDirectory()
    setup = ''
    cases = [
        'open_clip', 'ours', 'open_clip+load', 'ours+load',
        'ours+load+mmengine'
    ]
    groups = [[case] for case in cases]  # one fresh process per case
    if args.tiny:
        args.arch, args.repeats, args.weights = TINY_ARCH, 1, None
        groups = [cases]
    weights = args.weights or osp.join(tmp.name, f'{args.arch}.pt')
    if args.tiny:  # made in the one process, before its cases
        setup = weights_code(TINY_ARCH, weights,
                             osp.join(tmp.name, f'{TINY_ARCH}.json'))
    elif not osp.isfile(weights):
        make_weights(args.arch, weights)
    runs = {c: [] for c in cases}
    for _ in range(args.repeats):
        for group in groups:  # interleaved: machine load hits all alike
            for result in run_cases(group, args.arch, weights, args.threads,
                                    setup):
                runs[result['case']].append(result)
    rows = {
        c: {
            k: median([r[k] for r in runs[c]])
            for k in ('cpu_s', 'peak_gib', 'growth_gib')
        }
        for c in cases
    }
    print(f'{args.arch}, file {os.path.getsize(weights) / 2**20:.0f} MiB, '
          f'{args.repeats} processes per case (median), '
          f'{args.threads} thread(s)')
    print(f'{"case":<20}{"CPU s":>8}{"peak GiB":>10}{"growth GiB":>12}')
    for c in cases:
        r = rows[c]
        print(f'{c:<20}{r["cpu_s"]:>8.2f}{r["peak_gib"]:>10.2f}'
              f'{r["growth_gib"]:>12.2f}')
    ratios = {}
    pairs = [('ours', 'open_clip'), ('ours+load', 'open_clip+load'),
             ('ours+load+mmengine', 'open_clip+load')]
    for ours, theirs in pairs:
        ratios[ours] = {
            k: ratio(rows[ours][k], rows[theirs][k])
            for k in ('cpu_s', 'peak_gib', 'growth_gib')
        }
        r = ratios[ours]
        ok = r['cpu_s'] <= TARGET and r['peak_gib'] <= TARGET
        verdict = 'mmengine bookkeeping included' if 'mmengine' in ours \
            else f'target <= {TARGET}x: {"met" if ok else "NOT met"}'
        print(f'{ours} / {theirs}: CPU {r["cpu_s"]:.2f}x, peak '
              f'{r["peak_gib"]:.2f}x, growth {r["growth_gib"]:.2f}x '
              f'({verdict})')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(
                dict(arch=args.arch, runs=runs, rows=rows, ratios=ratios),
                f,
                indent=1)
    tmp.cleanup()


if __name__ == '__main__':
    main()
