"""Importing the plugin changes nothing global beyond its compat fixes.

``good_guest_probe.py`` runs the same probes (pickling ``torch.load``, a
spawn ``Pool`` over ``partial(torch.load)``, writes to a 0600 file, under a
later umask, through a symlink and a hard link, to a FIFO, in a read-only
folder, to a 250-character name, a user's weights-only opt-out and own
scheme) in one fresh process that never imports ``maxclip_mmaction`` and
one that imports it first. Their results must match except for the
documented compat fixes, each checked exactly. Small-write speed is a
ratio in ``benchmarks/bench_good_guest.py``, not a test.
"""
import json
import os.path as osp
import subprocess
import sys

import pytest

from maxclip_mmaction.fileio.checkpoint_loaders import HUB_SCHEMES

PROBE = osp.join(osp.dirname(osp.abspath(__file__)), 'good_guest_probe.py')


def run_both(tmp_path):
    procs = {}
    for side in ('without', 'with'):
        work = tmp_path / side
        work.mkdir()
        procs[side] = subprocess.Popen(
            [sys.executable, PROBE, side,
             str(work)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True)
    results = {}
    for side, proc in procs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-3000:]
        results[side] = json.loads(out.strip().splitlines()[-1])
    return results['without'], results['with']


@pytest.fixture(scope='module')
def sides(tmp_path_factory):
    return run_both(tmp_path_factory.mktemp('good_guest'))


def compat_globals():
    from maxclip_mmaction.fileio.allow_list import allowed_globals
    sys.path.insert(0, osp.dirname(PROBE))
    try:
        from good_guest_probe import global_name
    finally:
        sys.path.pop(0)
    return {global_name(g) for g in allowed_globals()}


def test_torch_load_stays_torchs_and_picklable(sides):
    without, with_ = sides
    assert with_['probe_pickling'] == without['probe_pickling']
    assert with_['probe_pickling'] == dict(
        torch_load_is_torchs=True,
        pickle_roundtrip=True,
        spawn_pool_partial=[3.0])


@pytest.mark.parametrize(
    'probe', ['probe_writes', 'probe_fifo', 'probe_read_only_folder'])
def test_file_writes_are_untouched(sides, probe):
    without, with_ = sides
    assert with_[probe] == without[probe]


def test_the_write_probes_ran(sides):
    # What a plain open() write does, so the comparisons above mean it.
    without = sides[0]
    assert without['probe_writes'] == dict(
        mode_0600_kept='0o600',
        umask_after_import='0o600',
        symlink=[True, dict(a=1)],
        hard_link=dict(a=1),
        long_name=None)
    assert without['probe_fifo'] == dict(
        put=None, still_fifo=True, reader_got=['through'])
    assert without['probe_read_only_folder'] == dict(
        existing=None,
        new='raised PermissionError',
        after=['kept.json'],
        kept=dict(a=1))


def test_file_backends_gain_only_a_new_name(sides):
    without, with_ = sides
    assert with_['probe_backends']['local'] == 'LocalBackend'
    assert with_['probe_backends']['prefixes'] == (
        without['probe_backends']['prefixes'])
    assert set(with_['probe_backends']['names']) - set(
        without['probe_backends']['names']) == {'maxclip_atomic_local'}


def test_a_users_opt_out_and_own_scheme_are_honoured(sides):
    without, with_ = sides
    for key in ('opt_out_env', 'users_scheme'):
        assert with_['probe_loading'][key] == (without['probe_loading'][key])
        assert with_['probe_loading'][key] == [['state_dict', 'x'], True]


def test_only_the_documented_compat_fixes_differ(sides):
    without, with_ = sides
    loading = {
        side: dict(s['probe_loading'])
        for side, s in (('without', without), ('with', with_))
    }
    # compat.mmengine_hub_weights_only: the URL schemes, nothing else
    changed = {
        p
        for p, f in loading['with']['schemes'].items()
        if f != loading['without']['schemes'][p]
    }
    assert changed == set(HUB_SCHEMES)
    assert all(loading['with']['schemes'][p].startswith('maxclip_mmaction.')
               for p in changed)
    # compat.mmengine_resume: exactly its allow-list (torch adds its own
    # entries as its submodules load)
    added = set(loading['with']['safe_globals']) - set(
        loading['without']['safe_globals'])
    assert {g
            for g in added if not g.startswith('torch.')} == (
                compat_globals())
    assert loading['without']['mmengine_resume'] == ('raised UnpicklingError')
    assert loading['with']['mmengine_resume'] == ['message_hub']
