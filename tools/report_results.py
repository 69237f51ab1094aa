"""Print base-to-novel or few-shot results over seeds as the papers do.

Examples::

    # three seeds of one base-to-novel setting: each a training work dir
    # (its last validation) or a tools/test.py one (the newest run wins)
    python tools/report_results.py b2n work_dirs/ssv2_b2n_s1 \
        work_dirs/ssv2_b2n_s2 work_dirs/ssv2_b2n_s3

    # few-shot: K=DIR pairs (repeat a K for several seeds)
    python tools/report_results.py fewshot 2=work_dirs/fs2 4=work_dirs/fs4
"""
import argparse
import json
from collections import defaultdict

from maxclip_mmaction.utils import (load_run_metrics, summarize_b2n,
                                    summarize_fewshot)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    sub = parser.add_subparsers(dest='mode', required=True)
    b2n = sub.add_parser('b2n', help='Base / Novel / HM over seeds')
    b2n.add_argument('work_dirs', nargs='+', help='one work dir a seed')
    fs = sub.add_parser('fewshot', help='top-1 per K')
    fs.add_argument('runs', nargs='+', help='K=WORK_DIR pairs')
    parser.add_argument('--json', help='also write the summary here')
    return parser.parse_args()


def main():
    args = parse_args()
    if args.mode == 'b2n':
        s = summarize_b2n([load_run_metrics(d) for d in args.work_dirs])
        print(f"| seeds | Base | Novel | HM |\n|---|---|---|---|\n"
              f"| {s['seeds']} | {s['base']:.1f} ± {s['base_std']:.1f} | "
              f"{s['novel']:.1f} ± {s['novel_std']:.1f} | {s['hm']:.1f} |")
    else:
        runs = defaultdict(list)
        for item in args.runs:
            k, sep, work_dir = item.partition('=')
            if not sep or not k.isdigit():
                raise SystemExit(f'expected K=WORK_DIR, got {item!r}')
            runs[int(k)].append(load_run_metrics(work_dir))
        s = summarize_fewshot(runs)
        print('| ' + ' | '.join(f'K={k}' for k in s) + ' |')
        print('|' + '---|' * len(s))
        print('| ' + ' | '.join(f'{v:.1f}' for v in s.values()) + ' |')
    if args.json:
        with open(args.json, 'w') as f:
            json.dump(s, f, indent=2)


if __name__ == '__main__':
    main()
