"""Print base-to-novel, few-shot or zero-shot results as the papers do.

Examples::

    # three seeds of one base-to-novel setting: each a training work dir
    # (its last validation) or a tools/test.py one (the newest run wins)
    python tools/report_results.py b2n work_dirs/maxclip_ssv2_b2n_s{1,2,3}

    # few-shot: K=DIR pairs (repeat a K for several seeds)
    python tools/report_results.py fewshot 2=work_dirs/fs2 4=work_dirs/fs4

    # zero-shot: the tools/test.py work dirs of a target's three splits
    python tools/report_results.py zeroshot work_dirs/zs_hmdb51_split{1,2,3}

Accuracies are fractions in the metrics files (MMAction2's convention) and
printed in percent; ``±`` is the population standard deviation over the
runs. Unreadable videos the metrics counted as wrong (``failed``) are
listed under the table.
"""
import argparse
import json
import sys
from collections import defaultdict

from maxclip_mmaction.reporting import (duplicate_runs, load_run, summarize_b2n,
                                    summarize_fewshot, summarize_zeroshot)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    # --json before or after the mode
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument('--json', help='also write the summary here')
    sub = parser.add_subparsers(dest='mode', required=True)
    b2n = sub.add_parser('b2n', parents=[common],
                         help='Base / Novel / HM over seeds')
    b2n.add_argument('work_dirs', nargs='+', help='one work dir a seed')
    fs = sub.add_parser('fewshot', parents=[common], help='top-1 per K')
    fs.add_argument('runs', nargs='+', help='K=WORK_DIR pairs')
    zs = sub.add_parser('zeroshot', parents=[common],
                        help='top-1 mean ± std over splits')
    zs.add_argument('work_dirs', nargs='+', help='one work dir a split')
    parser.add_argument('--json', dest='json_top', help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.json = args.json or args.json_top
    return args


def load(work_dirs):
    """Each work dir's newest run; warns about repeated seeds or runs."""
    runs = [load_run(d) for d in work_dirs]
    for problem in duplicate_runs(work_dirs, runs):
        print(f'warning: {problem}', file=sys.stderr)
    return [r['metrics'] for r in runs]


def print_failed(failed):
    if failed is not None:
        print(f'failed videos (scored as wrong), per run: '
              f'{", ".join("?" if n is None else str(n) for n in failed)}')


def main():
    args = parse_args()
    if args.mode == 'b2n':
        s = summarize_b2n(load(args.work_dirs))
        print(f"| seeds | Base | Novel | HM |\n|---|---|---|---|\n"
              f"| {s['seeds']} | {s['base']:.1f} ± {s['base_std']:.1f} | "
              f"{s['novel']:.1f} ± {s['novel_std']:.1f} | {s['hm']:.1f} |")
        print_failed(s['failed'])
    elif args.mode == 'zeroshot':
        s = summarize_zeroshot(load(args.work_dirs))
        keys = [k for k in ('top1', 'top5') if k in s]
        print('| splits | ' + ' | '.join(
            k.replace('top', 'top-') for k in keys) + ' |')
        print('|---|' + '---|' * len(keys))
        print(f"| {s['splits']} | " + ' | '.join(
            f'{s[k]:.1f} ± {s[k + "_std"]:.1f}' for k in keys) + ' |')
        print_failed(s['failed'])
    else:
        runs = defaultdict(list)
        for item in args.runs:
            k, sep, work_dir = item.partition('=')
            if not sep or not k.isdigit():
                raise SystemExit(f'expected K=WORK_DIR, got {item!r}')
            runs[int(k)].append(work_dir)
        s = summarize_fewshot({k: load(d) for k, d in runs.items()})
        print('| ' + ' | '.join(f'K={k}' for k in s) + ' |')
        print('|' + '---|' * len(s))
        print('| ' + ' | '.join(f'{v:.1f}' for v in s.values()) + ' |')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(s, f, indent=2)


if __name__ == '__main__':
    main()
