"""The mean of several checkpoints of one architecture."""
import pytest
import torch
from checkpoint_helpers import recognizer, runner_checkpoint, tiny_model_cfg
from mmaction.registry import MODELS
from mmengine.runner.checkpoint import load_checkpoint

from maxclip_mmaction.testing import tiny_clip_cfg
from maxclip_mmaction.weights import average_checkpoint_files, average_states


def test_mean_of_three_epochs_loads_into_the_recognizer(tmp_path):
    models = [recognizer(seed=s) for s in range(3)]
    paths = [runner_checkpoint(m, tmp_path / f'epoch_{i}.pth', epoch=i)
             for i, m in enumerate(models)]
    dst = str(tmp_path / 'avg.pth')
    average_checkpoint_files(paths, dst)
    out = torch.load(dst, weights_only=True)
    states = [m.state_dict() for m in models]
    floats = 0
    for key, value in out['state_dict'].items():
        if value.is_floating_point():
            want = (states[0][key] + states[1][key] + states[2][key]) / 3
            torch.testing.assert_close(value, want)
            floats += 1
        else:
            assert torch.equal(value, states[2][key])
    assert floats > 50
    assert not torch.equal(out['state_dict']['backbone.visual.proj'],
                           states[2]['backbone.visual.proj'])
    assert out['meta']['epoch'] == 2  # the last input's meta
    assert out['meta']['averaged'] == ['epoch_0.pth', 'epoch_1.pth',
                                       'epoch_2.pth']
    fresh = MODELS.build(tiny_model_cfg(tiny_clip_cfg(), pool_layers=1,
                                        pooling='max'))
    load_checkpoint(fresh, dst, strict=True)


def test_different_architectures_are_refused_naming_the_key():
    a = dict(x=torch.ones(2), y=torch.ones(3), z=torch.ones(1))
    b = dict(x=torch.ones(2), z=torch.ones(1))
    with pytest.raises(ValueError, match="b.pth lacks 'y', which a.pth"):
        average_states([a, b], ['a.pth', 'b.pth'])
    with pytest.raises(ValueError, match="b.pth has 'y', which a.pth lacks"):
        average_states([b, a], ['a.pth', 'b.pth'])
    c = dict(x=torch.ones(2), y=torch.ones(4), z=torch.ones(1))
    with pytest.raises(ValueError, match=r"'y' is \(3,\) torch.float32 in "
                       r'a.pth but \(4,\) torch.float32 in c.pth'):
        average_states([a, c], ['a.pth', 'c.pth'])


def test_recognizers_with_other_keys_are_refused():
    # a head with a learned projection has keys the other lacks; the
    # class names (extra state) differ too, which alone is allowed
    one = recognizer().state_dict()
    cfg = tiny_model_cfg(tiny_clip_cfg())
    cfg['cls_head']['in_channels'] = 16
    cfg['backbone']['out_pool'] = None
    other = MODELS.build(cfg).state_dict()
    with pytest.raises(ValueError, match="has 'cls_head.proj.weight'"):
        average_states([one, other], ['one.pth', 'other.pth'])


def test_class_names_may_differ_and_come_from_the_last():
    one, two = recognizer(), recognizer()
    two.cls_head.set_class_names(['a', 'b'])
    out = average_states([one.state_dict(), two.state_dict()], ['1', '2'])
    key = next(k for k in out if k.endswith('_extra_state'))
    assert torch.equal(out[key], two.state_dict()[key])


def test_needs_two_checkpoints(tmp_path):
    path = runner_checkpoint(recognizer(), tmp_path / 'e.pth')
    with pytest.raises(ValueError, match='two or more'):
        average_checkpoint_files([path], str(tmp_path / 'o.pth'))
