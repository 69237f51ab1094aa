import pytest
import torch
import torchvision.transforms.v2.functional as F
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

MEAN, STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]
# torchvision's functional ops, by ColorJitter's op codes.
TV_OPS = (F.adjust_brightness, F.adjust_contrast, F.adjust_saturation,
          F.adjust_hue)


def build(**kwargs):
    kwargs.setdefault('format_shape', 'NCTHW')
    return MODELS.build(dict(type='ColorJitterDataPreprocessor', **kwargs))


def batch(n=4, frames=3, size=8):
    g = torch.Generator().manual_seed(0)
    inputs = [
        torch.randint(
            0, 256, (1, 3, frames, size, size), generator=g, dtype=torch.uint8)
        for _ in range(n)
    ]
    return dict(
        inputs=inputs, data_samples=[ActionDataSample() for _ in range(n)])


def reference(frames, params):
    """torchvision's functional ops, one frame at a time, floats in [0, 1]."""
    out = torch.empty_like(frames)
    for b, video in enumerate(frames):
        for f, frame in enumerate(video):
            img = frame / 255
            if params['jitter'][b]:
                for op in params['order'][b, f].tolist():
                    factor = params['factors'][b, f, op].item()
                    img = TV_OPS[op](img, factor)
            if params['gray'][b]:
                img = F.rgb_to_grayscale(img, num_output_channels=3)
            out[b, f] = img * 255
    return out


def test_equals_torchvision_per_frame_with_same_draws():
    torch.manual_seed(0)
    pre = build()
    # (B, F, 3, H, W) uint8-range frames.
    frames = torch.randint(0, 256, (4, 5, 3, 6, 7)).float()
    params = pre.draw_params(4, 5)
    params['jitter'] = torch.tensor([True, True, False, True])
    params['gray'] = torch.tensor([False, True, False, False])
    ours = pre.apply_params(frames, params)
    assert torch.allclose(ours, reference(frames, params), atol=1e-3)
    assert torch.equal(ours[2], frames[2])  # not jittered, not gray


def test_hue_without_torchvisions_private_kernels(monkeypatch):
    from maxclip_mmaction.models.data_preprocessors import \
        color_jitter_data_preprocessor as mod
    frames = torch.rand(6, 3, 5, 4)  # (M, 3, H, W) in [0, 1]
    factor = torch.linspace(-0.1, 0.1, 6)
    batched = mod._hue(frames.clone(), factor)
    monkeypatch.setattr(mod, '_rgb_to_hsv', None)
    assert torch.allclose(mod._hue(frames.clone(), factor), batched,
                          atol=1e-5)


def test_jitter_rearranges_clips_into_frames():
    torch.manual_seed(0)
    pre = build(jitter_prob=1.0, gray_prob=0.0)
    x = torch.randint(0, 256, (2, 2, 3, 4, 5, 5)).float()  # (B, V, C, T..)
    torch.manual_seed(1)
    out = pre.jitter(x)
    torch.manual_seed(1)
    params = pre.draw_params(2, 8)
    # (B, V, C, T, H, W) -> (B, V*T, C, H, W), frame f = v * T + t.
    frames = x.transpose(2, 3).flatten(1, 2)
    ref = reference(frames, params).unflatten(1, (2, 4)).transpose(2, 3)
    assert torch.allclose(out, ref, atol=1e-3)


def test_draws_per_frame_and_per_video():
    torch.manual_seed(0)
    pre = build(
        brightness=0.4,
        contrast=0.3,
        saturation=0.2,
        hue=0.1,
        jitter_prob=0.5,
        gray_prob=0.5)
    p = pre.draw_params(64, 8)
    assert p['jitter'].shape == p['gray'].shape == (64, )
    assert 0 < p['jitter'].sum() < 64 and 0 < p['gray'].sum() < 64
    assert torch.equal(p['order'].sort(dim=-1).values,
                       torch.arange(4).expand(64, 8, 4))
    ranges = ((0.6, 1.4), (0.7, 1.3), (0.8, 1.2), (-0.1, 0.1))
    for op, (lo, hi) in enumerate(ranges):
        f = p['factors'][..., op]
        assert lo <= f.min() and f.max() <= hi
        # Frames of one video draw their own factors.
        assert (f.std(dim=1) > 0).all()
    # Every op order shows up at each position.
    assert len({tuple(o) for o in p['order'].flatten(0, 1).tolist()}) > 20


def test_frames_of_one_clip_get_different_brightness():
    src = torch.full((1, 1, 3, 4, 4, 4), 100.0)
    pre = build(
        contrast=0, saturation=0, hue=0, jitter_prob=1.0, gray_prob=0.0)
    y = pre.jitter(src)  # (1, 1, 3, T, 4, 4)
    per_frame = y[0, 0, 0, :, 0, 0]
    assert len(set(per_frame.tolist())) == 4
    assert torch.allclose(y, y[:, :, :1].expand_as(y))  # stays gray


def test_eval_is_stock_normalisation():
    data = batch()
    ref = torch.stack(data['inputs']).float()
    out = build(mean=MEAN, std=STD)(data, training=False)['inputs']
    mean = torch.tensor(MEAN).view(3, 1, 1, 1)
    std = torch.tensor(STD).view(3, 1, 1, 1)
    assert torch.allclose(out, (ref - mean) / std, atol=1e-5)


def test_training_jitters_every_video_within_range():
    torch.manual_seed(0)
    data = batch(n=16)
    ref = torch.stack(data['inputs']).float()
    x = build(jitter_prob=1.0, gray_prob=0.0)(data, training=True)['inputs']
    assert x.shape == ref.shape
    assert x.min() >= 0 and x.max() <= 255
    changed = (x - ref).abs().flatten(1).amax(dim=1) > 1
    assert changed.all()


def test_zero_ranges_and_no_gray_are_identity():
    data = batch()
    ref = torch.stack(data['inputs']).float()
    pre = build(
        brightness=0,
        contrast=0,
        saturation=0,
        hue=0,
        jitter_prob=1.0,
        gray_prob=0.0)
    assert pre.active_ops == ()
    assert torch.allclose(pre(data, training=True)['inputs'], ref, atol=1e-3)


def test_grayscale_is_per_video():
    torch.manual_seed(0)
    data = batch(n=32, frames=4)
    x = build(jitter_prob=0.0, gray_prob=0.5)(data, training=True)['inputs']
    # (B, 1, C, T, H, W): a video is gray in all its frames or in none.
    gray = (x[:, :, 0] == x[:, :, 1]) & (x[:, :, 1] == x[:, :, 2])
    per_video = gray.flatten(1)
    assert (per_video.all(dim=1) | ~per_video.any(dim=1)).all()
    assert 0 < per_video.all(dim=1).sum() < 32


def test_nchw_frames():
    torch.manual_seed(0)
    pre = build(format_shape='NCHW', jitter_prob=1.0, gray_prob=0.0)
    x = torch.randint(0, 256, (2, 3, 3, 5, 5)).float()  # (B, V, C, H, W)
    torch.manual_seed(1)
    out = pre.jitter(x)
    torch.manual_seed(1)
    params = pre.draw_params(2, 3)
    assert torch.allclose(out, reference(x, params), atol=1e-3)


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match='hue'):
        build(hue=0.7)
    with pytest.raises(ValueError, match='to_rgb'):
        build(to_rgb=True)
    with pytest.raises(ValueError, match='format_shape'):
        build(format_shape='NCTHW_Heatmap')


def test_recognizer_train_step_with_jitter(clip_cfg):
    from mmengine.optim import build_optim_wrapper
    model = MODELS.build(
        dict(
            type='Recognizer3D',
            backbone=dict(type='MaxCLIPViT', clip_arch=clip_cfg, num_frames=3),
            cls_head=dict(
                type='VideoTextHead',
                clip_arch=clip_cfg,
                class_names=['a', 'b']),
            data_preprocessor=dict(
                type='ColorJitterDataPreprocessor',
                mean=MEAN,
                std=STD,
                format_shape='NCTHW')))
    data = batch(n=2, frames=3, size=32)
    for i, sample in enumerate(data['data_samples']):
        sample.set_gt_label(i)
    wrapper = build_optim_wrapper(model,
                                  dict(optimizer=dict(type='AdamW', lr=1e-3)))
    losses = model.train_step(data, wrapper)
    assert torch.isfinite(losses['loss_cls'])
