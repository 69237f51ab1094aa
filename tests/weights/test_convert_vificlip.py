"""ViFi-CLIP checkpoints -> this package's recognizer."""
import os
import sys

import open_clip
import pytest
import torch
import torch.nn.functional as F
from checkpoint_helpers import (NAMES, epoch_saving, fine_tuned,
                                tiny_model_cfg, vificlip_config,
                                vificlip_state, write_config)
from mmaction.registry import MODELS
from mmengine.runner.checkpoint import load_checkpoint

from maxclip_mmaction.weights import (convert_vificlip_file, read_vificlip,
                                      vificlip_to_open_clip)
from maxclip_mmaction.weights.vificlip_convert import infer_arch


def convert(tmp_path, vificlip_file, clip_file, names=NAMES, **model_kw):
    # mixup in the data preprocessor: its Beta distribution cannot be
    # built on the meta device the converter builds the model on
    preprocessor = dict(type='ActionDataPreprocessor', blending=dict(
        type='MixupBlending', num_classes=len(names), alpha=0.2))
    cfg = tiny_model_cfg(open_clip_cfg(), data_preprocessor=preprocessor,
                         **model_kw)
    dst = str(tmp_path / 'converted.pth')
    convert_vificlip_file(vificlip_file, dst,
                          config=write_config(tmp_path / 'cfg.py', cfg),
                          clip=clip_file, class_names=names)
    return dst, cfg


def open_clip_cfg():
    from maxclip_mmaction.testing import tiny_clip_cfg
    return tiny_clip_cfg()


def vificlip_logits(clip, video, names):
    """ViFi-CLIP's forward (trainers/vificlip.py L173-197) on open_clip
    calls: per-frame image features, mean over frames, normalise;
    normalised features of 'a photo of a {}.'; exp(logit_scale) * cos."""
    B, C, T, H, W = video.shape
    frames = video.transpose(1, 2).flatten(0, 1)  # (B*T, C, H, W)
    image = clip.encode_image(frames).unflatten(0, (B, T)).mean(dim=1)
    image = F.normalize(image, dim=-1)  # (B, E)
    tokens = open_clip.tokenize([f'a photo of a {n}.' for n in names],
                                context_length=clip.context_length)
    text = clip.encode_text(tokens, normalize=True)  # (C, E)
    return clip.logit_scale.exp() * image @ text.t()


def test_converted_checkpoint_gives_vificlip_logits(tuned, vificlip_file,
                                                    clip_file, tmp_path):
    dst, cfg = convert(tmp_path, vificlip_file, clip_file)
    model = MODELS.build(cfg).eval()
    # strict: no missing or unexpected key, as tools/test.py loads it
    load_checkpoint(model, dst, map_location='cpu', strict=True)
    video = torch.randn(2, 3, 4, 32, 32)
    with torch.no_grad():
        ours = model.cls_head(model.backbone(video))
        want = vificlip_logits(tuned, video, NAMES)
    assert ours.shape == (2, 3)
    torch.testing.assert_close(ours, want, rtol=1e-5, atol=1e-5)
    meta = torch.load(dst, weights_only=True)['meta']
    assert meta['dataset_meta']['classes'] == NAMES
    assert meta['converted_from']['epoch'] == 10.0


def test_converted_checkpoint_initialises_maxclip(vificlip_file, clip_file,
                                                  tmp_path):
    dst, _ = convert(tmp_path, vificlip_file, clip_file)
    ckpt = torch.load(dst, weights_only=True)['state_dict']
    # load_from: the s = 1, max-pooling model has exactly the same keys
    maxclip = MODELS.build(tiny_model_cfg(open_clip_cfg(), pool_layers=1,
                                          pooling='max'))
    load_checkpoint(maxclip, dst, map_location='cpu', strict=True)
    # pretrained=: each half reads its tower from the converted file
    cfg = tiny_model_cfg(open_clip_cfg(), pool_layers=1, pooling='max')
    cfg['backbone']['pretrained'] = cfg['cls_head']['pretrained'] = dst
    model = MODELS.build(cfg)
    model.init_weights()
    for key, value in model.state_dict().items():
        if value.is_floating_point():
            assert torch.equal(value, ckpt[key]), key


def test_token_embedding_comes_from_the_clip_weights(clip_model, tuned,
                                                     vificlip_file,
                                                     tmp_path):
    # ViFi-CLIP holds no token_embedding: a CLIP whose embedding differs
    # from the one its prompts were embedded with is refused
    other = tmp_path / 'other_clip.pth'
    torch.save(fine_tuned(open_clip.CLIP(**open_clip_cfg()), seed=3)
               .state_dict(), other)
    with pytest.raises(ValueError, match='not the one .* embedded its'):
        convert(tmp_path, vificlip_file, str(other))
    torch.save(clip_model.state_dict(), other)
    dst, _ = convert(tmp_path, vificlip_file, str(other))
    state = torch.load(dst, weights_only=True)['state_dict']
    key = next(k for k in state if k.endswith('token_embedding.weight'))
    assert torch.equal(state[key], clip_model.token_embedding.weight)


def test_reads_the_yacs_config_without_yacs(vificlip_file):
    assert 'yacs' not in sys.modules
    info = read_vificlip(vificlip_file)
    assert info['config']['MODEL']['ARCH'] == 'ViT-B/16'
    assert info['config']['TRAINER']['ViFi_CLIP']['CTX_INIT'] == \
        'a photo of a'
    assert info['epoch'] == 10 and info['max_accuracy'] == 76.4
    assert all(not k.startswith('module.') for k in info['state'])
    assert 'yacs' not in sys.modules


def test_bare_state_dict_without_ddp_prefix(tuned, tmp_path):
    path = tmp_path / 'bare.pth'
    torch.save(vificlip_state(tuned, prefix=''), path)
    clip = vificlip_to_open_clip(read_vificlip(str(path))['state'], 'x')
    assert torch.equal(clip['visual.conv1.weight'], tuned.visual.conv1.weight)
    assert torch.equal(clip['ln_final.weight'], tuned.ln_final.weight)


def test_unknown_layouts_fail_naming_the_keys_found(tuned, tmp_path):
    path = tmp_path / 'other.pth'
    torch.save(dict(weights=dict(a=torch.ones(1)), step=3), path)
    with pytest.raises(ValueError, match=r"other.pth.*\['step', 'weights'"):
        read_vificlip(str(path))
    state = vificlip_state(tuned)
    state['module.temporal_head.weight'] = torch.ones(2)
    with pytest.raises(ValueError, match='temporal_head.weight'):
        vificlip_to_open_clip(
            {k[len('module.'):]: v for k, v in state.items()}, 'ckpt')


def test_vl_prompting_checkpoints_are_refused(tuned):
    state = vificlip_state(tuned, prefix='')
    state['prompt_learner.ctx'] = torch.zeros(4, 64)
    state['image_encoder.VPT'] = torch.zeros(8, 64)
    with pytest.raises(ValueError, match='VL-prompting.*prompt_learner.ctx'):
        vificlip_to_open_clip(state, 'prompting.pth')


def test_a_model_that_needs_more_weights_is_refused(vificlip_file,
                                                    clip_file, tmp_path):
    # a learned projection (backbone width != CLIP's) is not ViFi-CLIP's
    cfg = tiny_model_cfg(open_clip_cfg())
    cfg['backbone']['out_pool'] = None
    cfg['cls_head']['in_channels'] = 16
    with pytest.raises(ValueError, match='no weights for.*proj'):
        convert_vificlip_file(vificlip_file, str(tmp_path / 'o.pth'),
                              config=write_config(tmp_path / 'c.py', cfg),
                              clip=clip_file)
    assert not os.path.exists(tmp_path / 'o.pth')


def test_arch_from_config_or_shapes():
    assert infer_arch(dict(config=dict(MODEL=dict(ARCH='ViT-B/16')),
                           state={}), 'x') == 'ViT-B-16'
    b32 = dict(config=None, state={
        'image_encoder.conv1.weight': torch.empty(768, 3, 32, 32,
                                                  device='meta'),
        'image_encoder.positional_embedding': torch.empty(50, 768,
                                                          device='meta')})
    assert infer_arch(b32, 'x') == 'ViT-B-32'
    with pytest.raises(ValueError, match='pass --config'):
        infer_arch(dict(config=None, state={}), 'x')


def test_pickled_code_disguised_as_a_yacs_config_is_refused(
        fake_yacs, tmp_path, tuned):
    marker = tmp_path / 'ran'

    class Payload:

        def __reduce__(self):
            return (os.mkdir, (str(marker), ))

    path = tmp_path / 'evil.pth'
    config = vificlip_config(fake_yacs)
    config['MODEL']['RESUME'] = Payload()
    torch.save(epoch_saving(vificlip_state(tuned), config), path)
    with pytest.raises(RuntimeError, match='evil.pth.*nothing in it ran'):
        read_vificlip(str(path))
    assert not marker.exists()
