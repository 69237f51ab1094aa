"""What a process that may import the plugin sees of torch and mmengine.

``python good_guest_probe.py with|without WORKDIR`` runs every probe in a
fresh process, importing ``maxclip_mmaction`` first only for ``with``, and
prints one JSON line of results; ``tests/test_good_guest.py`` compares the
two. Each probe records what happened (a value or the error's type), never
whether it was right.
"""
import functools
import json
import multiprocessing
import os
import os.path as osp
import pickle
import shutil
import stat
import sys
import tempfile
import threading
import time

if sys.argv[1] == 'with':
    import maxclip_mmaction  # noqa: F401,I001

import mmengine  # noqa: E402
import torch  # noqa: E402
from mmengine.fileio.backends.registry_utils import (  # noqa: E402
    backends, prefix_to_backends)
from mmengine.fileio import get_file_backend  # noqa: E402
from mmengine.logging import HistoryBuffer  # noqa: E402
from mmengine.runner import CheckpointLoader  # noqa: E402
from mmengine.runner.checkpoint import _load_checkpoint  # noqa: E402

NOBODY = 65534


def outcome(fn, *args):
    """``fn(*args)``, or the name of the error it raised."""
    try:
        return fn(*args)
    except Exception as err:  # noqa: BLE001  (recorded, not judged)
        return f'raised {type(err).__name__}'


def as_user(fn):
    """``fn()`` run by an unprivileged user: root ignores folder modes."""
    if os.geteuid() != 0:
        return outcome(fn)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.setgid(NOBODY)
        os.setuid(NOBODY)
        with os.fdopen(write, 'w') as f:
            f.write(json.dumps(outcome(fn)))
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as f:
        result = json.loads(f.read())
    os.waitpid(pid, 0)
    return result


class Payload:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, 'w'))


def probe_pickling(work):
    path = osp.join(work, 'tensor.pth')
    torch.save(torch.arange(3.), path)
    load = functools.partial(torch.load, weights_only=True)
    with multiprocessing.get_context('spawn').Pool(1) as pool:
        sums = outcome(
            lambda: [t.sum().item() for t in pool.map(load, [path])])
    return dict(
        torch_load_is_torchs=torch.load is torch.serialization.load,
        pickle_roundtrip=outcome(
            lambda: pickle.loads(pickle.dumps(torch.load)) is torch.load),
        spawn_pool_partial=sums)


def probe_writes(work):
    out = {}
    private = osp.join(work, 'private.json')
    mmengine.dump(dict(a=0), private)
    os.chmod(private, 0o600)
    mmengine.dump(dict(a=1), private)
    out['mode_0600_kept'] = oct(stat.S_IMODE(os.stat(private).st_mode))
    mask = os.umask(0o077)
    try:
        mmengine.dump(dict(a=1), osp.join(work, 'umask.json'))
    finally:
        os.umask(mask)
    out['umask_after_import'] = oct(
        stat.S_IMODE(os.stat(osp.join(work, 'umask.json')).st_mode))
    target, link = osp.join(work, 'target.json'), osp.join(work, 'link.json')
    mmengine.dump(dict(a=0), target)
    os.symlink(target, link)
    mmengine.dump(dict(a=1), link)
    out['symlink'] = [osp.islink(link), mmengine.load(target)]
    first, second = osp.join(work, 'a.json'), osp.join(work, 'b.json')
    mmengine.dump(dict(a=0), first)
    os.link(first, second)
    mmengine.dump(dict(a=1), first)
    out['hard_link'] = mmengine.load(second)
    long_name = osp.join(work, 'x' * 245 + '.json')
    out['long_name'] = outcome(mmengine.dump, dict(a=1), long_name)
    return out


def probe_fifo(work):
    fifo, got = osp.join(work, 'fifo'), []

    def reader():
        with open(fifo, 'rb') as f:
            got.append(f.read().decode())

    os.mkfifo(fifo)
    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    result = outcome(mmengine.put, b'through', fifo)
    thread.join(timeout=10)
    return dict(
        put=result,
        still_fifo=stat.S_ISFIFO(os.lstat(fifo).st_mode),
        reader_got=got)


def probe_read_only_folder(work):
    # Outside the caller's folder, which other users may not enter.
    work = tempfile.mkdtemp()
    folder = osp.join(work, 'ro')
    os.makedirs(folder)
    mmengine.dump(dict(a=0), osp.join(folder, 'kept.json'))
    for path in (work, folder, osp.join(folder, 'kept.json')):
        os.chmod(path, 0o777 if path != folder else 0o555)
        if os.geteuid() == 0:
            os.chown(path, NOBODY, NOBODY)
    out = dict(
        existing=as_user(
            lambda: mmengine.dump(dict(a=1), osp.join(folder, 'kept.json'))),
        new=as_user(
            lambda: mmengine.dump(dict(a=1), osp.join(folder, 'new.json'))),
        after=sorted(os.listdir(folder)),
        kept=mmengine.load(osp.join(folder, 'kept.json')))
    os.chmod(folder, 0o755)
    shutil.rmtree(work)
    return out


def probe_loading(work):
    out = {}
    path = osp.join(work, 'trusted.pth')
    marker = osp.join(work, 'ran')
    torch.save(dict(state_dict={}, x=Payload(marker)), path)
    os.environ['TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'] = '1'
    out['opt_out_env'] = [
        outcome(lambda: sorted(_load_checkpoint(path, 'cpu'))),
        osp.exists(marker)
    ]
    del os.environ['TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD']
    if osp.exists(marker):
        os.remove(marker)

    def load_from_mine(filename, map_location=None):
        return torch.load(
            filename[len('mine://'):], map_location, weights_only=False)

    CheckpointLoader.register_scheme('mine://', load_from_mine)
    out['users_scheme'] = [
        outcome(lambda: sorted(_load_checkpoint('mine://' + path, 'cpu'))),
        osp.exists(marker)
    ]
    out['schemes'] = {
        p: f'{f.__module__}.{f.__name__}'
        for p, f in CheckpointLoader._schemes.items()
    }
    out['safe_globals'] = sorted(
        global_name(g) for g in torch.serialization.get_safe_globals())
    resumable = osp.join(work, 'epoch_1.pth')
    torch.save(
        dict(
            message_hub=dict(log_scalars=dict(
                loss=HistoryBuffer([1.0], [1])))), resumable)
    # what Runner.resume calls (mmengine issue 1655 under torch >= 2.6)
    out['mmengine_resume'] = outcome(
        lambda: sorted(_load_checkpoint(resumable, 'cpu')))
    return out


def global_name(entry):
    """``module.name`` of an allow-list entry (a type or ``(fn, name)``)."""
    if isinstance(entry, tuple):
        return entry[1]
    return f'{entry.__module__}.{entry.__qualname__}'


def probe_backends(work):
    return dict(
        local=type(get_file_backend(work)).__name__,
        prefixes={
            p: b.__name__
            for p, b in prefix_to_backends.items()
        },
        names=sorted(backends))


def small_write_seconds(work, n=300):
    """Seconds per small ``mmengine.dump`` (for the benchmark only)."""
    path = osp.join(work, 'small.json')
    start = time.perf_counter()
    for i in range(n):
        mmengine.dump(dict(i=i), path)
    return (time.perf_counter() - start) / n


def main():
    side, work = sys.argv[1], sys.argv[2]
    results = {}
    for probe in (probe_pickling, probe_writes, probe_fifo,
                  probe_read_only_folder, probe_loading, probe_backends):
        folder = osp.join(work, probe.__name__)
        os.makedirs(folder)
        results[probe.__name__] = probe(folder)
    if '--time' in sys.argv:
        results['small_write_seconds'] = small_write_seconds(work)
    results['imported'] = 'maxclip_mmaction' in sys.modules
    assert results['imported'] == (side == 'with')
    print(json.dumps(results))
    sys.stdout.flush()
    os._exit(0)  # a FIFO reader left blocked must not hold the exit


if __name__ == '__main__':
    main()
