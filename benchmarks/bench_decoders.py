"""Video decoders side by side: throughput, frame exactness, damaged files.

    python benchmarks/bench_decoders.py --out decoders.json

Decoders: decord opened from a buffer (MMAction2's ``DecordInit``), decord
opened by path (``SafeDecordInit`` with and without its truncation check),
MMAction2's ``PyAVInit``/``PyAVDecode``, PyAV called directly, and
TorchCodec when it imports. Videos: K-400-like H.264 MP4, SSv2-like VP9
WebM and HMDB/UCF-like MPEG-4 AVI. Each decoder loads one training clip
(8 frames, interval 4, random offset) and one test sample (3 clips of 8)
of every video per round; rounds are interleaved. Exactness compares the
test sample's frames with a sequential PyAV decode of the whole video at
the same indices. The damaged corpus (each container cut at 25/50/75/90 %,
zero bytes, a text file, the first 1 KiB, random bytes) runs in child
processes (``maxclip_mmaction.datasets.decode_check``), so a crash is
counted, not fatal.

``--tiny`` (the smoke run): one 2 s video per container, one round, one
cut (at 50 %) in the damaged corpus, and the corpus checked only for the
two decoders that open by path (``SafeDecordInit`` with and without its
check), both at once: a child's start (importing torch and MMAction2) is
most of a tiny run, and each crash of decord from a buffer starts another.
"""
import os
import os.path as osp
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))
from common import base_parser, interleaved, median, print_table  # noqa

import maxclip_mmaction  # noqa: E402,F401 (av before decord: VP9 encoder)
from maxclip_mmaction.datasets.decode_check import check_decoding  # noqa
from maxclip_mmaction.synthmotion import write_video  # noqa: E402

# Container: (extension, size (W, H), fps, seconds) of the test videos.
KINDS = dict(
    mp4=('mp4', (340, 256), 30, 4.0),
    webm=('webm', (427, 240), 12, 4.0),
    avi=('avi', (320, 240), 25, 4.0))
TRAIN = dict(type='SampleFrames', clip_len=8, frame_interval=4, num_clips=1)
TEST = dict(TRAIN, num_clips=3, test_mode=True)
DECODERS = {
    'decord, buffer (DecordInit)':
    ([dict(type='DecordInit')], dict(type='DecordDecode')),
    'decord, path (SafeDecordInit, no check)':
    ([dict(type='SafeDecordInit',
           check_truncation=False)], dict(type='DecordDecode')),
    'decord, path + truncation check (SafeDecordInit)':
    ([dict(type='SafeDecordInit')], dict(type='DecordDecode')),
    'PyAV (PyAVInit/PyAVDecode)': ([dict(type='PyAVInit')],
                                   dict(type='PyAVDecode')),
}
# The decoders --tiny checks the damaged corpus with.
TINY_CORPUS = ('decord, path (SafeDecordInit, no check)',
               'decord, path + truncation check (SafeDecordInit)')


def frames_of(num, width, height, seed):
    """A textured scene panning under a moving square, (T, H, W, 3)."""
    rng = np.random.default_rng(seed)
    tex = rng.integers(0, 256, (height * 2, width * 2, 3), dtype=np.uint8)
    out = np.empty((num, height, width, 3), np.uint8)
    for t in range(num):
        out[t] = tex[t % height:t % height + height,
                     2 * t % width:2 * t % width + width]
        x = (5 * t) % (width - 32)
        out[t, height // 2 - 16:height // 2 + 16, x:x + 32] = (230, 40, 40)
    return out


def make_videos(root, per_kind, seconds=None):
    """``per_kind`` videos of each container, ``seconds`` long (None: the
    container's default)."""
    videos = {}
    for kind, (ext, (w, h), fps, secs) in KINDS.items():
        secs = seconds or secs
        videos[kind] = []
        for i in range(per_kind):
            path = osp.join(root, f'{kind}_{i}.{ext}')
            write_video(path, frames_of(int(fps * secs), w, h, i), fps=fps)
            videos[kind].append(path)
    return videos


def make_damaged(root, good, cuts=(25, 50, 75, 90)):
    """The damaged corpus of one container, from one good file."""
    data = open(good, 'rb').read()
    ext = osp.splitext(good)[1]
    stem = osp.join(root, osp.basename(good).split('_')[0])
    out = {}
    for pct in cuts:
        out[f'cut {pct} %'] = data[:len(data) * pct // 100]
    out['zero bytes'] = b''
    out['text file'] = b'<html>404 Not Found</html>\n' * 20
    out['header only (1 KiB)'] = data[:1024]
    out['random bytes'] = np.random.default_rng(0).bytes(64 * 1024)
    paths = {}
    for name, blob in out.items():
        path = f'{stem}-{name.split()[0]}{name.split()[1]}{ext}'.replace(
            '(', '').replace('%', '')
        with open(path, 'wb') as f:
            f.write(blob)
        paths[name] = path
    return paths


def pyav_direct(path, inds):
    """Open by path, decode in order up to the last index, keep ``inds``."""
    import av
    want = set(int(i) for i in inds)
    got = {}
    with av.open(path) as container:
        stream = container.streams.video[0]
        stream.thread_type = 'AUTO'
        for i, frame in enumerate(container.decode(stream)):
            if i in want:
                got[i] = frame.to_ndarray(format='rgb24')
            if i >= max(want):
                break
    return [got[int(i)] for i in inds]


def reference(path):
    import av
    with av.open(path) as container:
        return [
            f.to_ndarray(format='rgb24') for f in container.decode(video=0)
        ]


def build(decoder, sampler):
    from mmaction.registry import TRANSFORMS
    from mmengine.dataset import Compose
    init, decode = DECODERS[decoder]
    return Compose([TRANSFORMS.build(s) for s in init + [sampler, decode]])


def load(decoder, sampler, path):
    """Frames and their indices of one sample."""
    if decoder == 'PyAV, direct':
        import av
        with av.open(path) as c:  # the header's count, or the duration
            stream = c.streams.video[0]
            total = stream.frames or int(
                round(c.duration / av.time_base * float(stream.average_rate)))
        sample = PIPES[('sampler', sampler['num_clips'])](
            dict(total_frames=total, start_index=0))
        return pyav_direct(path, sample['frame_inds']), sample['frame_inds']
    out = PIPES[(decoder, sampler['num_clips'])](
        dict(filename=path, start_index=0, modality='RGB'))
    return out['imgs'], out['frame_inds']


PIPES = {}
DIRECT_CHILD = '''
import sys, av
try:
    with av.open(sys.argv[1]) as c:
        n = sum(1 for _ in c.decode(video=0))
    print('ok' if n else 'no frames')
except Exception as e:
    print('raise')
'''


def outcome(why):
    """A ``check_decoding`` result as a corpus cell."""
    if why is None:
        return 'silent'
    if 'crashed' in why:
        return 'crash'
    if why.startswith(('timed out', 'not checked')):
        return why.split(' (')[0]
    return 'raise'


def corpus_direct(paths):
    """PyAV direct on each damaged file, one child each."""
    out = {}
    for name, path in paths.items():
        proc = subprocess.run([sys.executable, '-c', DIRECT_CHILD, path],
                              capture_output=True,
                              text=True)
        word = proc.stdout.strip()
        out[name] = f'crash (signal {-proc.returncode})' \
            if proc.returncode < 0 else ('silent' if word == 'ok'
                                         else 'raise')
    return out


def main():
    parser = base_parser(__doc__.splitlines()[0], repeats=3)
    parser.add_argument(
        '--videos', type=int, default=3, help='videos per container')
    args = parser.parse_args()
    from mmengine.registry import init_default_scope
    init_default_scope('mmaction')
    try:
        import torchcodec  # noqa: F401
        torchcodec_note = 'importable (not wired in: see README)'
    except Exception as e:  # ImportError, or its FFmpeg libs missing
        torchcodec_note = f'not available ({type(e).__name__})'
    root = tempfile.mkdtemp(prefix='bench_decoders_')
    if args.tiny:
        args.videos, args.repeats = 1, 1
    videos = make_videos(root, args.videos, 2.0 if args.tiny else None)
    names = list(DECODERS) + ['PyAV, direct']
    from mmaction.registry import TRANSFORMS
    for s in (TRAIN, TEST):
        PIPES[('sampler', s['num_clips'])] = TRANSFORMS.build(s)
        for d in DECODERS:
            PIPES[(d, s['num_clips'])] = build(d, s)
    refs = {p: reference(p) for ps in videos.values() for p in ps}

    def case(decoder, kind, sampler):

        def run():
            w, c = time.perf_counter(), time.process_time()
            for path in videos[kind]:
                load(decoder, sampler, path)
            n = len(videos[kind])
            return dict(
                wall=(time.perf_counter() - w) / n,
                cpu=(time.process_time() - c) / n)

        return run

    rows = []
    for kind in KINDS:
        for label, sampler in (('train', TRAIN), ('test', TEST)):
            usable = []
            for d in names:  # a decoder that cannot read the container
                try:
                    load(d, sampler, videos[kind][0])
                    usable.append(d)
                except Exception as e:
                    rows.append(
                        dict(
                            container=kind,
                            sampling=label,
                            decoder=d,
                            clips_per_s='fails: ' +
                            (f'{type(e).__name__}: {e}'[:60])))
            times = interleaved({d: case(d, kind, sampler)
                                 for d in usable}, args.repeats, args.warmup)
            base = median(times[names[0]]['cpu'])
            for d in usable:
                cpu = median(times[d]['cpu'])
                row = dict(
                    container=kind,
                    sampling=label,
                    decoder=d,
                    clips_per_s=1 / cpu,
                    vs_buffer=base / cpu,
                    wall_clips_per_s=1 / median(times[d]['wall']))
                if label == 'test':
                    diffs = []
                    for path in videos[kind]:
                        imgs, inds = load(d, sampler, path)
                        for img, i in zip(imgs, inds):
                            diffs.append(
                                int(
                                    np.abs(
                                        img.astype(int) -
                                        refs[path][int(i)]).max()))
                    row['exact_frames'] = \
                        f'{sum(x == 0 for x in diffs)}/{len(diffs)}'
                    row['max_abs_diff'] = max(diffs)
                rows.append(row)
    print_table(rows, [
        'container', 'sampling', 'decoder', 'clips_per_s', 'vs_buffer',
        'exact_frames', 'max_abs_diff'
    ])
    corpus, damaged = {}, {}
    for kind, paths in videos.items():
        cuts = (50, ) if args.tiny else (25, 50, 75, 90)
        for name, path in make_damaged(root, paths[0], cuts).items():
            damaged[(kind, name)] = path

    def check(d):
        init, decode = DECODERS[d]
        return check_decoding(
            list(damaged.values()),
            init + [TEST, decode],
            workers=1 if args.tiny else 2)

    checked = list(TINY_CORPUS if args.tiny else DECODERS)
    with ThreadPoolExecutor(len(checked) if args.tiny else 1) as pool:
        for d, res in zip(checked, pool.map(check, checked)):
            for key, path in damaged.items():
                corpus.setdefault(key, {})[d] = outcome(res[path])
    direct = corpus_direct({k: p for k, p in damaged.items()})
    for key, word in direct.items():
        corpus[key]['PyAV, direct'] = word
    # isolate_first_open: one child process per video and worker.
    from maxclip_mmaction.datasets.safe_decord_init import probe_in_child
    isolation = {}
    for kind, paths in videos.items():
        walls = []
        for path in paths:
            start = time.perf_counter()
            probe_in_child(path)
            walls.append(time.perf_counter() - start)
        isolation[kind] = median(walls)
    print('isolate_first_open, first open of a video (wall, median): ' +
          ', '.join(f'{k} {v * 1e3:.0f} ms' for k, v in isolation.items()))
    crows = [dict(container=k, file=n, **v) for (k, n), v in corpus.items()]
    print()
    print_table(crows, ['container', 'file'] + names)
    print(f'\nTorchCodec: {torchcodec_note}')
    if args.out:
        import json
        results = dict(
            rows=rows,
            corpus=crows,
            torchcodec=torchcodec_note,
            isolation_s=isolation,
            date=time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
            cpus=os.cpu_count())
        with open(args.out, 'w') as f:
            json.dump(results, f, indent=1, default=str)
    shutil.rmtree(root, ignore_errors=True)


if __name__ == '__main__':
    main()
