import json

import numpy as np
import open_clip
import pytest
import torch
import torch.nn.functional as F

from maxclip_mmaction.models import VideoTextHead

NAMES = ['running', 'jumping jacks', 'juggling balls']


def build(clip_cfg, clip_file=None, **kwargs):
    kwargs.setdefault('class_names', NAMES)
    head = VideoTextHead(clip_arch=clip_cfg, pretrained=clip_file, **kwargs)
    head.init_weights()
    return head.eval()


def clip_text(clip_model, names, template='a photo of a {}.'):
    tokenizer = open_clip.SimpleTokenizer(
        context_length=clip_model.context_length)
    with torch.no_grad():
        return clip_model.encode_text(
            tokenizer([template.format(n) for n in names]), normalize=True)


def test_logits_equal_scaled_cosine_of_open_clip_text(clip_cfg, clip_model,
                                                      clip_file):
    head = build(clip_cfg, clip_file)
    feats = torch.randn(2, 5, 32)  # (B, T+s, E)
    with torch.no_grad():
        logits = head(feats)
    video = F.normalize(feats.amax(dim=1), dim=-1)
    ref = clip_model.logit_scale.exp() * video @ clip_text(
        clip_model, NAMES).t()
    assert logits.shape == (2, 3)
    torch.testing.assert_close(logits, ref, rtol=1e-5, atol=1e-5)


def test_mean_pooling_and_2d_features(clip_cfg, clip_model, clip_file):
    head = build(clip_cfg, clip_file, pooling='mean')
    feats = torch.randn(2, 5, 32)
    with torch.no_grad():
        torch.testing.assert_close(head(feats), head(feats.mean(dim=1)))


def test_swapping_class_names_changes_width_and_values(clip_cfg, clip_model,
                                                       clip_file):
    head = build(clip_cfg, clip_file)
    feats = torch.randn(2, 32)
    with torch.no_grad():
        before = head(feats)
        novel = ['surfing', 'archery', 'yoga', 'fencing', 'rowing']
        head.set_class_names(novel)
        after = head(feats)
    assert head.num_classes == 5 and after.shape == (2, 5)
    ref = clip_model.logit_scale.exp() * F.normalize(feats, dim=-1) @ \
        clip_text(clip_model, novel).t()
    torch.testing.assert_close(after, ref, rtol=1e-5, atol=1e-5)
    assert not torch.allclose(before, after[:, :3])


def test_templates_are_averaged(clip_cfg, clip_model, clip_file):
    templates = ('a photo of a {}.', 'a video of {}.')
    head = build(clip_cfg, clip_file, templates=templates)
    text = torch.stack([clip_text(clip_model, NAMES, t) for t in templates])
    ref = F.normalize(text.mean(dim=0), dim=-1)
    with torch.no_grad():
        torch.testing.assert_close(head.text_features(), ref)


def test_text_features_cached_in_eval_recomputed_after_change(clip_cfg):
    head = build(clip_cfg)
    calls = []
    orig = head.clip.encode
    head.clip.encode = lambda *a, **k: calls.append(1) or orig(*a, **k)
    with torch.no_grad():
        first = head.text_features()
        assert head.text_features() is first and len(calls) == 1
        head.set_class_names(['a', 'b'])
        assert head.text_features().shape == (2, 32) and len(calls) == 2
        head.train()
        head.text_features()
        head.text_features()
    assert len(calls) == 4  # training recomputes every step


def test_checkpoint_has_no_class_shaped_parameters(clip_cfg):
    three = build(clip_cfg)
    five = build(clip_cfg, class_names=['a', 'b', 'c', 'd', 'e'])
    five.load_state_dict(three.state_dict())  # strict: same keys & shapes
    assert not any(k.startswith('prompt_tokens') for k in three.state_dict())


def test_class_names_from_label_file(clip_cfg, tmp_path):
    path = tmp_path / 'labels.csv'
    path.write_text('id,name\n0,"Pushing [something] from left to right"\n'
                    '1,jumping_jacks\n')
    head = build(clip_cfg, class_names=str(path))
    assert head.class_names == ['Pushing something from left to right',
                                'jumping jacks']


def test_in_channels_projects_other_backbones(clip_cfg, clip_model,
                                              clip_file):
    head = build(clip_cfg, clip_file, in_channels=24).train()
    cnn_maps = torch.randn(2, 24, 4, 3, 3)  # (B, C, T, H, W)
    out = head(cnn_maps)
    # space averaged, frames max-pooled, then the learned projection
    video = cnn_maps.mean(dim=(3, 4)).amax(dim=2)  # (B, C)
    video = F.normalize(head.proj(video), dim=-1)
    ref = clip_model.logit_scale.exp() * video @ clip_text(clip_model,
                                                           NAMES).t()
    torch.testing.assert_close(out, ref, rtol=1e-5, atol=1e-5)
    out.sum().backward()
    assert head.proj.weight.grad.abs().sum() > 0


def test_group_softmax_in_multi_view_averaging(clip_cfg):
    head = build(clip_cfg, class_names=['a', 'b', 'c', 'd', 'e'])
    head.set_class_names(['a', 'b', 'c', 'd', 'e'], groups=[0, 0, 0, 1, 1])
    scores = torch.randn(6, 5)  # (B*V, C), V = 3
    avg = head.average_clip(scores, num_segs=3)
    views = scores.unflatten(0, (2, 3))
    base = F.softmax(views[..., :3], dim=-1).mean(1)
    novel = F.softmax(views[..., 3:], dim=-1).mean(1)
    torch.testing.assert_close(avg, torch.cat([base, novel], dim=1))


@pytest.mark.parametrize('kwargs,err,match', [
    (dict(templates=('a photo of a class.', )), ValueError, 'exactly one'),
    (dict(templates=()), ValueError, 'templates'),
    (dict(class_names=[]), ValueError, 'no class names'),
    (dict(class_names=['a', 'a']), ValueError, "duplicate class name 'a'"),
    (dict(pooling='sum'), ValueError, "pooling must be 'max' or 'mean'"),
    (dict(class_names='/no/such/labels.txt'), FileNotFoundError, 'labels'),
    (dict(pretrained='/no/such/clip.pth'), FileNotFoundError, 'clip.pth'),
    (dict(in_channels=0), ValueError, 'in_channels must be None'),
    (dict(train_token_embedding='no'), TypeError, 'train_token_embedding'),
])
def test_bad_arguments_raise_at_build(clip_cfg, kwargs, err, match):
    kwargs.setdefault('class_names', NAMES)
    with pytest.raises(err, match=match):
        VideoTextHead(clip_arch=clip_cfg, **kwargs)


def test_empty_head_says_how_to_fix(clip_cfg):
    head = VideoTextHead(clip_arch=clip_cfg).eval()
    with pytest.raises(RuntimeError, match='ClassNamesHook'):
        head(torch.randn(1, 32))


def test_context_cut_to_longest_prompt_is_exact(tmp_path):
    from maxclip_mmaction.testing import tiny_clip_cfg
    cfg = tiny_clip_cfg(context_length=77)  # CLIP's real context
    model = open_clip.CLIP(**cfg).eval()
    path = str(tmp_path / 'clip77.pth')
    torch.save(model.state_dict(), path)
    head = build(cfg, path)
    # the longest prompt is 'a photo of a juggling balls.'
    assert head.clip.prompt_tokens.shape[1] < 20
    with torch.no_grad():
        full = clip_text(model, NAMES)
        torch.testing.assert_close(head.text_features(), full)
        head.train()
        torch.testing.assert_close(head.text_features(), full)


def test_missing_and_unexpected_keys_are_logged(clip_cfg, clip_model,
                                                tmp_path, mm_log):
    state = clip_model.state_dict()
    del state['ln_final.weight']
    state['text_adapter.weight'] = torch.zeros(2)
    path = str(tmp_path / 'partial.pth')
    torch.save(state, path)
    head = build(clip_cfg, path)
    assert torch.equal(head.clip.token_embedding.weight,
                       clip_model.token_embedding.weight)
    warnings = [m for m in mm_log if m.startswith('WARNING')]
    assert len(warnings) == 2, mm_log
    assert 'missing' in warnings[0] and path in warnings[0]
    assert "['ln_final.weight']" in warnings[0]
    assert 'unexpected' in warnings[1] and path in warnings[1]
    assert "['text_adapter.weight']" in warnings[1]


def test_visual_only_file_has_no_text_weights(clip_cfg, clip_model,
                                              tmp_path):
    path = str(tmp_path / 'visual.pth')
    torch.save({k: v for k, v in clip_model.state_dict().items()
                if k.startswith('visual.')}, path)
    with pytest.raises(ValueError, match='No VideoTextHead text tower '
                       'weights in .*visual.pth'):
        build(clip_cfg, path)


def test_loads_text_tower_from_recognizer_checkpoint(clip_cfg, clip_model,
                                                     tmp_path):
    state = {('backbone.' if k.startswith('visual.') else 'cls_head.clip.')
             + k: v for k, v in clip_model.state_dict().items()}
    path = str(tmp_path / 'best.pth')
    torch.save(dict(meta=dict(epoch=3), state_dict=state), path)
    head = build(clip_cfg, path)
    text = {k: v for k, v in clip_model.state_dict().items()
            if not k.startswith('visual.')}
    own = head.clip.state_dict()
    assert set(own) == set(text) | {'_extra_state'}
    for k, v in text.items():
        assert torch.equal(own[k], v), k


def test_prompts_use_the_text_towers_context_length(clip_cfg, clip_model,
                                                    clip_file):
    # tiny CLIP: context 16; the first prompt tokenises to ~40 tokens
    names = ['a very long class name ' * 5, 'b']
    head = build(clip_cfg, clip_file, class_names=names)
    assert head.clip.prompt_tokens.shape == (2, 16)
    with torch.no_grad():
        torch.testing.assert_close(head.text_features(),
                                   clip_text(clip_model, names))


def test_load_state_dict_drops_cached_text_features(clip_cfg):
    torch.manual_seed(1)
    head = build(clip_cfg)
    torch.manual_seed(2)
    other = build(clip_cfg)
    feats = torch.randn(2, 32)
    with torch.no_grad():
        before = head(feats)  # fills the cache
        head.load_state_dict(other.state_dict())
        after = head(feats)
        assert not torch.allclose(before, after)
        torch.testing.assert_close(after, other(feats))


def test_dtype_move_drops_cached_text_features(clip_cfg, clip_model,
                                               clip_file):
    head = build(clip_cfg, clip_file)
    feats = torch.randn(2, 32)
    with torch.no_grad():
        head(feats)  # fills the cache in float32
        head.double()
        logits = head(feats.double())
    assert logits.dtype == torch.float64
    ref = clip_model.double().logit_scale.exp() * F.normalize(
        feats.double(), dim=-1) @ clip_text(clip_model, NAMES).t()
    torch.testing.assert_close(logits, ref)


def test_checkpoint_carries_class_names_weights_only(clip_cfg, tmp_path):
    trained = build(clip_cfg)
    # numpy group ids (a dataset's metainfo) are stored as plain ints
    trained.set_class_names(['Pushing [[x]] left', 'jumping_jacks', 'c'],
                            groups=np.array([0, 0, 1]))
    # cleaned once; cleaning again would give 'Pushing x left'
    names = ['Pushing [x] left', 'jumping jacks', 'c']
    assert trained.class_names == names
    path = str(tmp_path / 'head.pth')
    # mmengine's Runner broadcasts every state_dict entry after
    # init_weights: each must be a tensor
    assert all(isinstance(v, torch.Tensor)
               for v in trained.state_dict().values())
    torch.save(trained.state_dict(), path)
    state = torch.load(path, weights_only=True)
    stored = json.loads(bytes(state['clip._extra_state'].tolist()))
    assert stored == dict(class_names=names, class_groups=[0, 0, 1])
    empty = VideoTextHead(clip_arch=clip_cfg).eval()
    empty.load_state_dict(state)  # strict
    assert empty.class_names == names and empty.class_groups == [0, 0, 1]
    feats = torch.randn(2, 32)
    with torch.no_grad():
        torch.testing.assert_close(empty(feats), trained(feats))
    # names of its own win: a config's class_names, or ClassNamesHook's
    own = build(clip_cfg, class_names=['u', 'v'])
    own.load_state_dict(state)
    assert own.class_names == ['u', 'v'] and own.class_groups is None


@pytest.mark.parametrize('entry', [
    torch.tensor([1, 2, 3], dtype=torch.uint8),  # not JSON
    torch.frombuffer(bytearray(b'{"names": []}'), dtype=torch.uint8),
    torch.frombuffer(bytearray(b'{"class_names": "ab"}'), dtype=torch.uint8),
])
def test_malformed_stored_class_names_raise(clip_cfg, entry):
    state = build(clip_cfg).state_dict()
    state['clip._extra_state'] = entry
    with pytest.raises(TypeError, match='_extra_state'):
        VideoTextHead(clip_arch=clip_cfg).load_state_dict(state)


def test_checkpoint_without_class_names_still_loads(clip_cfg):
    head = build(clip_cfg)
    state = head.state_dict()
    del state['clip._extra_state']  # saved before the names were stored
    empty = VideoTextHead(clip_arch=clip_cfg)
    assert empty.load_state_dict(state).missing_keys == []
    assert empty.num_classes == 0
    nameless = VideoTextHead(clip_arch=clip_cfg).state_dict()
    head.load_state_dict(nameless)
    assert head.class_names == NAMES


def test_class_names_stored_by_the_head_itself_still_load(clip_cfg):
    state = build(clip_cfg).state_dict()
    # the layout of heads that held the names themselves
    state['_extra_state'] = state.pop('clip._extra_state')
    empty = VideoTextHead(clip_arch=clip_cfg)
    result = empty.load_state_dict(state)  # strict
    assert not result.missing_keys and not result.unexpected_keys
    assert empty.class_names == NAMES
    # mmengine's loader (init_recognizer, resume) walks modules itself
    from mmengine.runner.checkpoint import load_state_dict
    empty = VideoTextHead(clip_arch=clip_cfg)
    load_state_dict(empty, state, strict=True)
    assert empty.class_names == NAMES
