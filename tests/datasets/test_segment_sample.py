import numpy as np
import pytest
from mmaction.registry import TRANSFORMS

from maxclip_mmaction.datasets.transforms import SegmentSample


def upstream_test_inds(n, t):
    # ViFi-CLIP datasets/pipeline.py _get_test_clips with clip_len=1: the
    # segment centres, truncated, then the 'loop' wrap.
    avg = n / float(t)
    return (np.arange(t) * avg + avg / 2.0).astype(np.int64) % n


def upstream_train_support(n, t):
    """Allowed frames per segment of upstream's _get_train_clips."""
    seg = n // t
    if seg > 0:
        return [set(range(i * seg, (i + 1) * seg)) for i in range(t)]
    # N < T: avg_interval == 0 branch, deterministic rounded offsets.
    return [{int(np.around(i * n / t)) % n} for i in range(t)]


def sample(n, **kwargs):
    t = SegmentSample(**kwargs)
    return t(dict(total_frames=n, start_index=0))


@pytest.mark.parametrize('t', [8, 32])
def test_test_mode_is_upstream_segment_centres(t):
    for n in range(1, 10 * t + 1):
        out = sample(n, num_segments=t, test_mode=True)
        assert out['frame_inds'].tolist() == upstream_test_inds(n, t).tolist()
        assert out['clip_len'] == t and out['num_clips'] == 1


@pytest.mark.parametrize('t,draws', [(8, 200), (32, 4)])
def test_train_mode_has_upstream_support(t, draws):
    # Every draw inside its segment's support; for T=8, enough draws that
    # every allowed frame shows up (the support is exactly upstream's).
    np.random.seed(0)
    for n in range(1, 10 * t + 1):
        support = upstream_train_support(n, t)
        seen = [set() for _ in range(t)]
        for _ in range(draws):
            inds = sample(n, num_segments=t)['frame_inds']
            assert len(inds) == t
            for i, j in enumerate(inds.tolist()):
                assert j in support[i], (n, i, j)
                seen[i].add(j)
        if t == 8 or n < t:
            assert seen == support, n


def test_short_video_rounds_and_wraps():
    # N=1: every round(i / 8) is 0 or 1, wrapped to 0.
    assert sample(1, num_segments=8)['frame_inds'].tolist() == [0] * 8
    # N=5, T=8: round-half-even of i * 5 / 8.
    assert sample(
        5, num_segments=8)['frame_inds'].tolist() == [0, 1, 1, 2, 2, 3, 4, 4]


def test_start_index_and_registry():
    t = TRANSFORMS.build(
        dict(type='SegmentSample', num_segments=4, test_mode=True))
    out = t(dict(total_frames=8, start_index=1))
    assert out['frame_inds'].tolist() == [2, 4, 6, 8]
    assert out['frame_inds'].dtype == np.int32


def test_uniform_sample_differs_for_48_frames():
    # 32 <= N < 64: upstream training always takes frames 0..31.
    np.random.seed(0)
    ours = sample(48, num_segments=32)['frame_inds']
    assert ours.tolist() == list(range(32))
    uniform = TRANSFORMS.build(dict(type='UniformSample', clip_len=32))
    inds = np.stack([
        uniform(dict(total_frames=48, start_index=0))['frame_inds']
        for _ in range(20)
    ])
    assert inds.max() > 31  # reaches past frame 31
    assert len(np.unique(inds[0])) < 32  # repeats frames within a clip
    # At test time the two differ as well.
    uniform = TRANSFORMS.build(
        dict(type='UniformSample', clip_len=32, test_mode=True))
    test_u = uniform(dict(total_frames=48, start_index=0))['frame_inds']
    test_s = sample(48, num_segments=32, test_mode=True)['frame_inds']
    assert test_u.tolist() != test_s.tolist()


def test_deterministic_views_tile_segments():
    t, v, n = 8, 4, 100
    out = sample(n, num_segments=t, test_mode=True, num_views=v)
    inds = out['frame_inds'].reshape(v, t)  # (V*T,) -> (V, T)
    assert out['clip_len'] == t and out['num_clips'] == v
    expected = [[int((i + (k + 0.5) / v) * n / t) for i in range(t)]
                for k in range(v)]
    assert inds.tolist() == expected
    # The same call twice gives the same frames.
    again = sample(n, num_segments=t, test_mode=True, num_views=v)
    assert again['frame_inds'].tolist() == out['frame_inds'].tolist()
    # One view is the plain test rule.
    one = sample(n, num_segments=t, test_mode=True)['frame_inds']
    assert one.tolist() == upstream_test_inds(n, t).tolist()


def test_random_views_are_independent_train_draws():
    t, v, n = 8, 4, 100
    support = upstream_train_support(n, t)
    np.random.seed(0)
    out = sample(
        n, num_segments=t, test_mode=True, num_views=v, random_views=True)
    inds = out['frame_inds'].reshape(v, t)  # (V*T,) -> (V, T)
    assert out['num_clips'] == v
    for view in inds.tolist():
        assert all(j in support[i] for i, j in enumerate(view))
    assert len({tuple(view) for view in inds.tolist()}) > 1
    # Seeded by numpy's global RNG, as the pipeline seeds it.
    np.random.seed(0)
    again = sample(
        n, num_segments=t, test_mode=True, num_views=v, random_views=True)
    assert again['frame_inds'].tolist() == out['frame_inds'].tolist()


def test_format_shape_makes_one_clip_per_view():
    t, v = 8, 2
    out = sample(40, num_segments=t, test_mode=True, num_views=v)
    out['imgs'] = [np.zeros((6, 5, 3), np.uint8)] * (t * v)
    out['input_shape'] = None
    shaped = TRANSFORMS.build(dict(type='FormatShape', input_format='NCTHW'))(
        out)
    assert shaped['imgs'].shape == (v, 3, t, 6, 5)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match='num_segments'):
        SegmentSample(num_segments=0)
    with pytest.raises(ValueError, match='num_views'):
        SegmentSample(num_segments=8, num_views=0)
    with pytest.raises(ValueError, match='total_frames=0'):
        sample(0, num_segments=8)
