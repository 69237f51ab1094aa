"""WiSE-FT: (1 - a) * zero-shot CLIP + a * fine-tuned."""
import math

import pytest
import torch
from checkpoint_helpers import (NAMES, recognizer, runner_checkpoint,
                                tiny_model_cfg)
from mmaction.registry import MODELS
from mmengine.runner.checkpoint import load_checkpoint

from maxclip_mmaction.testing import tiny_clip_cfg
from maxclip_mmaction.weights import check_alpha, interpolate, wise_ft_file


@pytest.mark.parametrize('alpha', [-0.1, 1.5, math.nan, True, '0.5', None])
def test_alpha_outside_0_1_is_refused(alpha):
    with pytest.raises(ValueError, match=f'in \\[0, 1\\], got {alpha!r}'):
        check_alpha(alpha)


def test_endpoints_are_bit_exact_and_the_middle_is_the_mean():
    zs = dict(w=torch.tensor([1.0, -0.0, 3.0, 1e-30]),
              h=torch.tensor([0.1, 0.2], dtype=torch.float16),
              n=torch.tensor([1, 2]),
              extra=torch.tensor([7], dtype=torch.uint8))
    ft = dict(w=torch.tensor([2.0, 0.0, math.inf, 3.0]),
              h=torch.tensor([0.3, 0.5], dtype=torch.float16),
              n=torch.tensor([5, 6]),
              extra=torch.tensor([9], dtype=torch.uint8),
              only_ft=torch.tensor([4.0]))
    zero, one = interpolate(zs, ft, 0), interpolate(zs, ft, 1)
    for key in ('w', 'h'):
        # bit-exact: -0.0 stays -0.0, inf does not turn 0 * inf into nan
        assert zero[key].view(torch.uint8).tolist() == \
            zs[key].view(torch.uint8).tolist()
        assert one[key].view(torch.uint8).tolist() == \
            ft[key].view(torch.uint8).tolist()
    half = interpolate(zs, ft, 0.5)
    for key in ('w', 'h'):
        mean = ((zs[key].double() + ft[key].double()) / 2).to(ft[key].dtype)
        assert torch.equal(half[key], mean)
        assert half[key].dtype == ft[key].dtype
    # non-float tensors, extra state and keys CLIP lacks: fine-tuned's
    for alpha in (0, 0.5, 1):
        out = interpolate(zs, ft, alpha)
        for key in ('n', 'extra', 'only_ft'):
            assert torch.equal(out[key], ft[key])


def test_shape_mismatch_is_named():
    with pytest.raises(ValueError, match=r'w: zero-shot \(2,\) vs '):
        interpolate(dict(w=torch.ones(2)), dict(w=torch.ones(3)), 0.5)


def test_wise_ft_file_with_clip_weights(clip_model, clip_file, tmp_path):
    model = recognizer(seed=1)
    with torch.no_grad():  # "fine-tuned": far from the zero-shot CLIP
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.1)
    ft_path = runner_checkpoint(model, tmp_path / 'epoch_3.pth')
    ft = model.state_dict()
    clip = clip_model.state_dict()
    outs = {}
    for alpha in (0, 0.5, 1):
        dst = str(tmp_path / f'wise_{alpha}.pth')
        wise_ft_file(ft_path, dst, alpha, zero_shot=clip_file)
        outs[alpha] = torch.load(dst, weights_only=True)
    cases = dict(visual=('backbone.visual.conv1.weight',
                         'visual.conv1.weight'),
                 text=('ln_final.weight', 'ln_final.weight'),
                 scale=('logit_scale', 'logit_scale'))
    for ours, theirs in cases.values():
        key = next(k for k in ft if k.endswith(ours))
        assert torch.equal(outs[0]['state_dict'][key], clip[theirs])
        assert torch.equal(outs[1]['state_dict'][key], ft[key])
        torch.testing.assert_close(outs[0.5]['state_dict'][key],
                                   (clip[theirs] + ft[key]) / 2)
    extra = next(k for k in ft if k.endswith('_extra_state'))
    assert torch.equal(outs[0]['state_dict'][extra], ft[extra])
    assert outs[0.5]['meta']['wise_ft']['alpha'] == 0.5
    assert outs[0.5]['meta']['epoch'] == 3
    # the output loads into the recognizer with no missing / extra key
    fresh = MODELS.build(tiny_model_cfg(tiny_clip_cfg(), pool_layers=1,
                                        pooling='max'))
    load_checkpoint(fresh, str(tmp_path / 'wise_0.5.pth'), strict=True)
    assert fresh.cls_head.class_names == NAMES


def test_zero_shot_defaults_to_the_clip_the_config_names(clip_model,
                                                         clip_file,
                                                         tmp_path):
    cfg = tiny_model_cfg(tiny_clip_cfg(), pool_layers=1, pooling='max')
    cfg['backbone']['pretrained'] = cfg['cls_head']['pretrained'] = \
        clip_file
    ft_path = runner_checkpoint(recognizer(seed=2), tmp_path / 'ft.pth',
                                cfg=dict(model=cfg))
    dst = str(tmp_path / 'zero.pth')
    wise_ft_file(ft_path, dst, 0)
    out = torch.load(dst, weights_only=True)
    assert torch.equal(out['state_dict']['backbone.visual.proj'],
                       clip_model.visual.proj)
    assert out['meta']['wise_ft']['zero_shot'] == clip_file


def test_without_a_saved_config_zero_shot_must_be_given(tmp_path):
    ft_path = runner_checkpoint(recognizer(), tmp_path / 'ft.pth')
    for zero_shot in (None, 'openai'):  # a tag needs the config's arch
        with pytest.raises(ValueError, match='pass --zero-shot'):
            wise_ft_file(ft_path, str(tmp_path / 'o.pth'), 0.5,
                         zero_shot=zero_shot)
    assert not (tmp_path / 'o.pth').exists()
