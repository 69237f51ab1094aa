"""Small ``mmengine.dump`` time with and without ``import maxclip_mmaction``.

The probe of ``tests/test_good_guest.py`` that is a number, not a test:
two child processes, one that never imports the plugin and one that does,
each time ``--writes`` small JSON dumps per round; rounds alternate
between them (the start rotated every round) and the medians' ratio is
printed (1.0 = the import costs nothing). ``--plugin-path DIR`` puts
another checkout first on the ``with`` side's path, to measure it.
``--tiny`` (the smoke run) times one round of 10 dumps.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

CHILD = r'''
import os, sys, time
if sys.argv[1] == 'with':
    import maxclip_mmaction  # noqa: F401
import mmengine
path = os.path.join(sys.argv[2], 'small.json')
n = int(sys.argv[3])
for line in sys.stdin:
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(n):
        mmengine.dump(dict(i=i), path)
    print(json.dumps([(time.perf_counter() - start) / n,
                      (time.process_time() - cpu) / n]), flush=True)
'''.replace('import os, sys, time', 'import json, os, sys, time')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeats', type=int, default=7)
    parser.add_argument('--writes', type=int, default=200)
    parser.add_argument('--plugin-path', default=None)
    parser.add_argument('--out', default=None)
    parser.add_argument(
        '--tiny',
        action='store_true',
        help='one round of 10 dumps (CI smoke run)')
    args = parser.parse_args()
    if args.tiny:
        args.repeats, args.writes = 1, 10
    sides = {}
    for side in ('without', 'with'):
        env = dict(os.environ)
        if side == 'with' and args.plugin_path:
            env['PYTHONPATH'] = args.plugin_path
        work = tempfile.mkdtemp(prefix=f'good_guest_{side}_')
        sides[side] = subprocess.Popen(
            [sys.executable, '-c', CHILD, side, work,
             str(args.writes)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=work)
    times = {side: [] for side in sides}
    order = list(sides)
    for r in range(args.repeats + 1):  # round 0 warms up
        for side in order[r % 2:] + order[:r % 2]:
            proc = sides[side]
            proc.stdin.write('go\n')
            proc.stdin.flush()
            result = json.loads(proc.stdout.readline())
            if r:
                times[side].append(result)
    for proc in sides.values():
        proc.stdin.close()
        proc.wait()
    med = {
        side: [statistics.median(t[k] for t in times[side]) for k in (0, 1)]
        for side in sides
    }
    print('| side | wall ms / dump | cpu ms / dump |\n|---|---|---|')
    for side, (wall, cpu) in med.items():
        print(f'| {side} import | {wall * 1e3:.3f} | {cpu * 1e3:.3f} |')
    ratio = [med['with'][k] / med['without'][k] for k in (0, 1)]
    print(f'| ratio with/without | {ratio[0]:.2f}x | {ratio[1]:.2f}x |')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(raw=times, median=med, ratio=ratio), f, indent=1)


if __name__ == '__main__':
    main()
