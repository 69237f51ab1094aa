import re

import pytest
import torch

from maxclip_mmaction.models import MaxCLIPViT


def build(clip_cfg, clip_file=None, **kwargs):
    kwargs.setdefault('num_frames', 4)
    model = MaxCLIPViT(clip_arch=clip_cfg, pretrained=clip_file, **kwargs)
    model.init_weights()
    return model.eval()


def reference_frames(visual, frames, s, position):
    """The paper's formula written out per video, block by block."""
    T = frames.shape[0]
    x = visual._embeds(frames)  # (T, N, D)
    blocks = visual.transformer.resblocks
    L = len(blocks)
    for i, blk in enumerate(blocks):
        if i < L - s:
            x = blk(x)
            continue
        if position == 'before':
            x = torch.cat([x, x.max(dim=0, keepdim=True).values])
            x = blk(x)
        else:
            x = x + blk.ls_1(blk.attention(blk.ln_1(x)))
            x = torch.cat([x, x.max(dim=0, keepdim=True).values])
            x = x + blk.ls_2(blk.mlp(blk.ln_2(x)))
    assert x.shape[0] == T + s
    pooled, _ = visual._pool(x)
    return pooled @ visual.proj


def test_loads_state_dict_and_mean_equals_encode_image(clip_cfg, clip_model,
                                                       clip_file):
    model = build(clip_cfg, clip_file, pool_layers=0, out_pool='mean')
    for k, v in clip_model.visual.state_dict().items():
        assert torch.equal(model.visual.state_dict()[k], v), k
    video = torch.randn(2, 3, 4, 32, 32)
    with torch.no_grad():
        out = model(video)
        frames = video.transpose(1, 2).flatten(0, 1)
        ref = clip_model.encode_image(frames).unflatten(0, (2, 4)).mean(1)
    assert out.shape == (2, 32)
    torch.testing.assert_close(out, ref, rtol=1e-5, atol=1e-5)


def test_loads_visual_only_keys(clip_cfg, clip_model, tmp_path):
    path = tmp_path / 'visual.pth'
    torch.save({k: v for k, v in clip_model.state_dict().items()
                if k.startswith('visual.')}, path)
    model = build(clip_cfg, str(path), pool_layers=1)
    assert torch.equal(model.visual.conv1.weight,
                       clip_model.visual.conv1.weight)


def test_loads_recognizer_checkpoint_and_bare_visual_dict(
        clip_cfg, clip_model, tmp_path, mm_log):
    clip = clip_model.state_dict()
    # what the Runner saves for a recognizer built from this package
    recognizer = {'backbone.' + k: v for k, v in clip.items()
                  if k.startswith('visual.')}
    recognizer.update({'cls_head.clip.' + k: v for k, v in clip.items()
                       if not k.startswith('visual.')})
    recognizer['data_preprocessor.mean'] = torch.zeros(3, 1, 1, 1)
    ckpt = tmp_path / 'epoch_1.pth'
    torch.save(dict(meta=dict(epoch=1), state_dict=recognizer), ckpt)
    bare = tmp_path / 'bare_visual.pth'
    torch.save(clip_model.visual.state_dict(), bare)
    for path in (ckpt, bare):
        model = build(clip_cfg, str(path), pool_layers=1)
        for k, v in clip_model.visual.state_dict().items():
            assert torch.equal(model.visual.state_dict()[k], v), (path, k)
    assert not [m for m in mm_log if m.startswith('WARNING')]


def test_file_matching_no_key_raises_naming_file_and_keys(clip_cfg,
                                                          clip_model,
                                                          tmp_path):
    path = tmp_path / 'wrapped.pth'
    torch.save({'model.' + k: v for k, v in clip_model.state_dict().items()},
               path)
    match = (f'No MaxCLIPViT weights in {re.escape(str(path))}: none of '
             r"its keys \('model\.positional_embedding'")
    with pytest.raises(ValueError, match=match):
        build(clip_cfg, str(path), pool_layers=1)


@pytest.mark.parametrize('position', ['after', 'before'])
@pytest.mark.parametrize('s', [1, 2, 3])
def test_pooled_frames_match_paper_formula(clip_cfg, clip_model, clip_file,
                                           position, s):
    model = build(clip_cfg, clip_file, pool_layers=s, pool_position=position)
    video = torch.randn(2, 3, 4, 32, 32)
    with torch.no_grad():
        out = model(video)
        refs = torch.stack([
            reference_frames(clip_model.visual, v.transpose(0, 1), s,
                             position) for v in video])
        plain = clip_model.encode_image(video.transpose(1, 2).flatten(0, 1))
    assert out.shape == (2, 4 + s, 32)
    torch.testing.assert_close(out, refs, rtol=1e-4, atol=1e-5)
    if position == 'after':
        # attention stays within a frame: the T input frames are plain CLIP
        torch.testing.assert_close(out[:, :4].flatten(0, 1), plain,
                                   rtol=1e-4, atol=1e-5)


def test_out_pool_max_pools_all_frames(clip_cfg, clip_file):
    frames = build(clip_cfg, clip_file, pool_layers=2)
    pooled = build(clip_cfg, clip_file, pool_layers=2, out_pool='max')
    video = torch.randn(1, 3, 4, 32, 32)
    with torch.no_grad():
        torch.testing.assert_close(pooled(video), frames(video).amax(1))


@pytest.mark.parametrize('position', ['after', 'before'])
def test_gradients_reach_every_block_parameter(clip_cfg, position):
    model = build(clip_cfg, pool_layers=2, pool_position=position).train()
    model(torch.randn(2, 3, 4, 32, 32)).pow(2).sum().backward()
    for name, p in model.named_parameters():
        assert p.grad is not None and p.grad.abs().sum() > 0, name


def count_block_forwards(model):
    """Count block forward calls, checkpoint's recomputation included."""
    calls = []

    def counted(forward):
        def run(*args, **kwargs):
            calls.append(1)
            return forward(*args, **kwargs)
        return run

    for blk in model.visual.transformer.resblocks:
        # an instance attribute: checkpoint recomputes through the call
        blk.forward = counted(blk.forward)
    return calls


def test_grad_checkpointing_recomputes_blocks_same_output_and_grads(
        clip_cfg, clip_file):
    video = torch.randn(2, 3, 4, 32, 32)
    runs = []
    for ckpt in (False, True):
        model = build(clip_cfg, clip_file, pool_layers=2,
                      grad_checkpointing=ckpt).train()
        calls = count_block_forwards(model)
        out = model(video)
        forwards = len(calls)
        out.sum().backward()
        runs.append((out.detach(), model.visual.conv1.weight.grad,
                     forwards, len(calls) - forwards))
    assert runs[0][2:] == (3, 0)  # 3 blocks, no recomputation
    assert runs[1][2:] == (3, 3)  # each block run again in backward
    torch.testing.assert_close(runs[0][0], runs[1][0])
    torch.testing.assert_close(runs[0][1], runs[1][1])


@pytest.mark.parametrize('frozen', [0, 1])
def test_frozen_stem_with_grad_checkpointing_trains_blocks(clip_cfg, frozen):
    # open_clip < 2.32 checkpointed re-entrantly: with the stem frozen the
    # block input needs no grad, and no block parameter got a gradient,
    # silently (hence setup.cfg's open_clip floor).
    model = build(clip_cfg, pool_layers=1, frozen_stages=frozen,
                  grad_checkpointing=True).train()
    calls = count_block_forwards(model)
    out = model(torch.randn(2, 3, 4, 32, 32))
    assert len(calls) == 3
    out.pow(2).sum().backward()
    trainable = [(n, p) for n, p in model.named_parameters()
                 if p.requires_grad]
    assert len(trainable) > 20
    for name, p in trainable:
        assert p.grad is not None and p.grad.abs().sum() > 0, name
    # only the trainable blocks are run again in backward
    assert len(calls) - 3 == 3 - frozen


def trainable(model):
    return {n for n, p in model.named_parameters() if p.requires_grad}


def test_frozen_stages(clip_cfg):
    stem = {'visual.class_embedding', 'visual.positional_embedding',
            'visual.conv1.weight', 'visual.ln_pre.weight',
            'visual.ln_pre.bias'}
    head = {'visual.ln_post.weight', 'visual.ln_post.bias', 'visual.proj'}
    every = trainable(build(clip_cfg, pool_layers=1))
    assert stem | head <= every and len(every) == 5 + 3 + 3 * 12

    def block(i):
        return {n for n in every if n.startswith(f'visual.transformer.'
                                                 f'resblocks.{i}.')}

    assert all(len(block(i)) == 12 for i in range(3))
    for k, frozen in [(0, stem), (1, stem | block(0)),
                      (2, stem | block(0) | block(1)),
                      (3, stem | block(0) | block(1) | block(2)),
                      (4, every)]:
        model = build(clip_cfg, pool_layers=1, frozen_stages=k)
        # k = L (3) still trains ln_post and proj; L + 1 freezes them too
        assert trainable(model) == every - frozen, k


@pytest.mark.parametrize('kwargs,err,match', [
    (dict(pool_layers=4), ValueError,
     'pool_layers must be an int in \\[0, 3\\].*got 4'),
    (dict(pool_layers=-1), ValueError, 'pool_layers.*got -1'),
    (dict(pool_layers=True), TypeError, 'pool_layers must be an int, got '
     'True'),
    (dict(pool_layers=1.0), TypeError, 'pool_layers must be an int, got '
     '1.0'),
    (dict(pool_position='middle'), ValueError,
     "pool_position must be 'after'"),
    (dict(out_pool='sum'), ValueError, 'out_pool'),
    (dict(frozen_stages=9), ValueError, 'frozen_stages.*got 9'),
    (dict(frozen_stages=1.5), TypeError, 'frozen_stages must be an int, '
     'got 1.5'),
    (dict(frozen_stages=False), TypeError, 'frozen_stages.*got False'),
    (dict(num_frames=0), ValueError, 'num_frames must be an int >= 1, '
     'got 0'),
    (dict(num_frames=True), TypeError, 'num_frames must be an int, got '
     'True'),
    (dict(num_frames='8'), TypeError, "num_frames must be an int, got '8'"),
    (dict(grad_checkpointing='yes'), TypeError, 'grad_checkpointing'),
])
def test_bad_arguments_raise_at_build(clip_cfg, kwargs, err, match):
    with pytest.raises(err, match=match):
        MaxCLIPViT(clip_arch=clip_cfg, **kwargs)


def test_missing_weights_file_raises_at_build(clip_cfg, tmp_path):
    missing = str(tmp_path / 'nope.pth')
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        MaxCLIPViT(clip_arch=clip_cfg, pretrained=missing)


def test_unknown_arch_and_tag_raise(clip_cfg):
    with pytest.raises(ValueError, match='ViT-Q-99'):
        MaxCLIPViT(clip_arch='ViT-Q-99')
    with pytest.raises(ValueError, match='no-such-tag'):
        MaxCLIPViT(clip_arch='ViT-B-16', pretrained='no-such-tag')


def test_shape_mismatch_names_the_keys(clip_cfg, clip_file):
    wider = dict(clip_cfg, embed_dim=48)
    model = MaxCLIPViT(clip_arch=wider, pretrained=clip_file)
    with pytest.raises(ValueError, match='visual.proj'):
        model.init_weights()


def test_frame_count_mismatch_is_a_clear_error(clip_cfg):
    model = build(clip_cfg, pool_layers=1)
    with pytest.raises(ValueError, match='num_frames=4 but got clips of 6'):
        model(torch.randn(1, 3, 6, 32, 32))


def test_openai_jit_archive_loads_and_forces_quick_gelu(clip_cfg, tmp_path):
    import open_clip
    from open_clip.transformer import QuickGELU
    torch.manual_seed(1)
    clip = open_clip.CLIP(**clip_cfg, quick_gelu=True).eval()
    path = str(tmp_path / 'ViT-tiny.pt')
    image = torch.randn(1, 3, 32, 32)
    # OpenAI's archives are TorchScript with 'visual.*' parameter names.
    holder = torch.nn.Module()
    holder.visual = clip.visual
    holder.forward = clip.visual.forward
    traced = torch.jit.trace(holder, image, check_trace=False)
    torch.jit.save(traced, path)
    model = build(clip_cfg, path, pool_layers=0, num_frames=1,
                  out_pool='mean')
    assert isinstance(model.visual.transformer.resblocks[0].mlp.gelu,
                      QuickGELU)
    with torch.no_grad():
        torch.testing.assert_close(model(image.unsqueeze(2)),
                                   clip.visual(image))


def test_unreadable_jit_archive_raises_naming_the_file(clip_cfg, tmp_path):
    import zipfile
    path = tmp_path / 'ViT-bad.pt'
    torch.save(dict(w=torch.ones(2)), path)  # a zip, but no TorchScript
    with zipfile.ZipFile(path, 'a') as zf:
        zf.writestr('archive/code/__torch__.py', 'x\n')
    with pytest.raises(RuntimeError, match=r'Refused to load .*ViT-bad\.pt '
                       r'as a TorchScript archive'):
        build(clip_cfg, str(path), pool_layers=0, num_frames=1)


@pytest.mark.parametrize('tag,quick', [
    ('openai', True), ('dfn2b', True), ('metaclip_400m', True),
    ('laion2b_s34b_b88k', False)])
def test_quick_gelu_follows_the_pretrained_tag(tag, quick):
    from maxclip_mmaction.models.clip_utils import uses_quick_gelu
    assert uses_quick_gelu({}, tag, 'tag', 'ViT-B-16') is quick
