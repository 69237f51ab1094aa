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


def test_grad_checkpointing_same_output_and_grads(clip_cfg, clip_file):
    video = torch.randn(2, 3, 4, 32, 32)
    grads = []
    for ckpt in (False, True):
        model = build(clip_cfg, clip_file, pool_layers=2,
                      grad_checkpointing=ckpt).train()
        out = model(video)
        out.sum().backward()
        grads.append((out.detach(), model.visual.conv1.weight.grad))
    torch.testing.assert_close(grads[0][0], grads[1][0])
    torch.testing.assert_close(grads[0][1], grads[1][1])


def test_frozen_stages(clip_cfg):
    model = build(clip_cfg, pool_layers=1, frozen_stages=2)
    blocks = model.visual.transformer.resblocks
    assert not model.visual.conv1.weight.requires_grad
    assert not model.visual.class_embedding.requires_grad
    assert not any(p.requires_grad for p in blocks[1].parameters())
    assert all(p.requires_grad for p in blocks[2].parameters())
    assert model.visual.proj.requires_grad
    everything = build(clip_cfg, pool_layers=1, frozen_stages=4)
    assert not any(p.requires_grad for p in everything.parameters())


@pytest.mark.parametrize('kwargs,match', [
    (dict(pool_layers=4), 'pool_layers must be an int in \\[0, 3\\]'),
    (dict(pool_layers=-1), 'pool_layers'),
    (dict(pool_position='middle'), "pool_position must be 'after'"),
    (dict(out_pool='sum'), 'out_pool'),
    (dict(frozen_stages=9), 'frozen_stages'),
    (dict(num_frames=0), 'num_frames'),
])
def test_bad_arguments_raise_at_build(clip_cfg, kwargs, match):
    with pytest.raises(ValueError, match=match):
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


@pytest.mark.parametrize('tag,quick', [
    ('openai', True), ('dfn2b', True), ('metaclip_400m', True),
    ('laion2b_s34b_b88k', False)])
def test_quick_gelu_follows_the_pretrained_tag(tag, quick):
    from maxclip_mmaction.models.clip_utils import uses_quick_gelu
    assert uses_quick_gelu({}, tag, 'tag', 'ViT-B-16') is quick
