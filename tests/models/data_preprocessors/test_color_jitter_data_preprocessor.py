import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample

MEAN, STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]


def build(**kwargs):
    return MODELS.build(dict(type='ColorJitterDataPreprocessor',
                             format_shape='NCTHW', **kwargs))


def batch(n=4, frames=3, size=8):
    g = torch.Generator().manual_seed(0)
    inputs = [torch.randint(0, 256, (1, 3, frames, size, size), generator=g,
                            dtype=torch.uint8) for _ in range(n)]
    return dict(inputs=inputs, data_samples=[ActionDataSample()
                                             for _ in range(n)])


def test_eval_is_stock_normalisation():
    data = batch()
    ref = torch.stack(data['inputs']).float()
    out = build(mean=MEAN, std=STD)(data, training=False)['inputs']
    mean = torch.tensor(MEAN).view(3, 1, 1, 1)
    std = torch.tensor(STD).view(3, 1, 1, 1)
    assert torch.allclose(out, (ref - mean) / std, atol=1e-5)


def test_training_jitters_per_clip_within_range():
    torch.manual_seed(0)
    data = batch(n=16)
    ref = torch.stack(data['inputs']).float()
    out = build(jitter_prob=1.0, gray_prob=0.0)(data, training=True)
    x = out['inputs']
    assert x.shape == ref.shape
    assert x.min() >= 0 and x.max() <= 255
    changed = (x - ref).abs().flatten(1).amax(dim=1) > 1
    assert changed.all()


def test_zero_ranges_are_identity():
    data = batch()
    ref = torch.stack(data['inputs']).float()
    pre = build(brightness=0, contrast=0, saturation=0, hue=0,
                jitter_prob=1.0, gray_prob=0.0)
    assert torch.allclose(pre(data, training=True)['inputs'], ref,
                          atol=1e-3)


def test_grayscale_makes_channels_equal_and_frames_share_draws():
    data = batch(n=2, frames=4)
    x = build(jitter_prob=0.0, gray_prob=1.0)(data, training=True)['inputs']
    assert torch.allclose(x[:, :, 0], x[:, :, 1])
    assert torch.allclose(x[:, :, 1], x[:, :, 2])
    # One brightness draw per clip: every frame scaled alike.
    src = torch.full((1, 1, 3, 4, 4, 4), 100.0)
    pre = build(contrast=0, saturation=0, hue=0, jitter_prob=1.0,
                gray_prob=0.0)
    y = pre.jitter(src)
    assert torch.allclose(y, y.flatten()[0].expand_as(y))


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match='hue'):
        build(hue=0.7)
    with pytest.raises(ValueError, match='to_rgb'):
        build(to_rgb=True)


def test_recognizer_train_step_with_jitter(clip_cfg):
    from mmengine.optim import build_optim_wrapper
    model = MODELS.build(dict(
        type='Recognizer3D',
        backbone=dict(type='MaxCLIPViT', clip_arch=clip_cfg, num_frames=3),
        cls_head=dict(type='VideoTextHead', clip_arch=clip_cfg,
                      class_names=['a', 'b']),
        data_preprocessor=dict(type='ColorJitterDataPreprocessor',
                               mean=MEAN, std=STD, format_shape='NCTHW')))
    data = batch(n=2, frames=3, size=32)
    for i, sample in enumerate(data['data_samples']):
        sample.set_gt_label(i)
    wrapper = build_optim_wrapper(model, dict(
        optimizer=dict(type='AdamW', lr=1e-3)))
    losses = model.train_step(data, wrapper)
    assert torch.isfinite(losses['loss_cls'])
