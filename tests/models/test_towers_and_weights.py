"""Each tower built once, each weights file read once, init_cfg honoured,
and the token embedding kept pretrained as ViFi-CLIP keeps it."""
import copy
import gc

import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.optim import OptimWrapper

from maxclip_mmaction.models import MaxCLIPViT, VideoTextHead
from maxclip_mmaction.models import shared_weights

NAMES = ['waving', 'clapping', 'running']


def recognizer_cfg(clip_cfg, weights=None, **head):
    return dict(
        type='Recognizer3D',
        backbone=dict(type='MaxCLIPViT', clip_arch=clip_cfg, num_frames=4,
                      pretrained=weights),
        cls_head=dict(type='VideoTextHead', clip_arch=clip_cfg,
                      pretrained=weights, class_names=NAMES, **head),
        data_preprocessor=dict(type='ActionDataPreprocessor',
                               format_shape='NCTHW'))


@pytest.fixture
def reads(monkeypatch):
    """Paths the weights reader is called with."""
    calls = []
    real = shared_weights.load_clip_state_dict
    monkeypatch.setattr(shared_weights, 'load_clip_state_dict',
                        lambda info: calls.append(info['pretrained']) or
                        real(info))
    return calls


def test_each_module_builds_only_its_tower(clip_cfg, clip_model):
    backbone = MaxCLIPViT(clip_cfg)
    head = VideoTextHead(clip_cfg)
    visual = {'visual.' + k for k, _ in clip_model.visual.named_parameters()}
    text = {k for k, _ in clip_model.named_parameters()} - visual
    assert {k for k, _ in backbone.named_parameters()} == visual
    assert {k for k, _ in head.clip.named_parameters()} == text
    assert {k for k, _ in head.named_parameters()} == {
        'clip.' + k for k in text}


def test_one_read_of_the_file_loads_both_towers(clip_cfg, clip_model,
                                                clip_file, reads):
    model = MODELS.build(recognizer_cfg(clip_cfg, clip_file))
    model.init_weights()
    assert reads == [clip_file]
    assert shared_weights.cached_sources() == []  # released after use
    own = model.state_dict()
    for k, v in clip_model.state_dict().items():
        key = ('backbone.' if k.startswith('visual.') else 'cls_head.clip.')
        assert torch.equal(own[key + k], v), k


def test_a_module_that_never_loads_releases_the_file(clip_cfg, clip_model,
                                                     clip_file, reads):
    backbone = MaxCLIPViT(clip_cfg, pretrained=clip_file)
    head = VideoTextHead(clip_cfg, pretrained=clip_file)
    backbone.init_weights()
    assert len(shared_weights.cached_sources()) == 1  # kept for the head
    del head
    gc.collect()
    assert shared_weights.cached_sources() == []
    # a copy holds no claim: it reads the file itself, keeping nothing
    fresh = MaxCLIPViT(clip_cfg, pretrained=clip_file)
    clone = copy.deepcopy(fresh)
    clone.init_weights()
    assert len(reads) == 2 and shared_weights.cached_sources() == []
    assert torch.equal(clone.visual.conv1.weight,
                       clip_model.visual.conv1.weight)
    fresh.init_weights()  # its own claim: a third read, then released
    assert len(reads) == 3 and shared_weights.cached_sources() == []


def test_pretrained_init_cfg_loads_as_in_mmaction(clip_cfg, clip_model,
                                                  clip_file, tmp_path):
    trained = MODELS.build(recognizer_cfg(clip_cfg, clip_file))
    trained.init_weights()
    ckpt = str(tmp_path / 'epoch_1.pth')
    torch.save(dict(state_dict=trained.state_dict()), ckpt)
    cfg = recognizer_cfg(clip_cfg)
    cfg['backbone']['init_cfg'] = dict(type='Pretrained', checkpoint=ckpt,
                                       prefix='backbone.')
    cfg['cls_head']['init_cfg'] = dict(type='Pretrained', checkpoint=ckpt,
                                       prefix='cls_head.')
    model = MODELS.build(cfg)
    model.init_weights()
    own, ref = model.state_dict(), trained.state_dict()
    assert own.keys() == ref.keys()
    for k in ref:
        assert torch.equal(own[k], ref[k]), k


@pytest.mark.parametrize('module', [MaxCLIPViT, VideoTextHead])
def test_pretrained_and_pretrained_init_cfg_together_raise(
        clip_cfg, clip_file, module):
    init_cfg = dict(type='Pretrained', checkpoint=clip_file)
    with pytest.raises(ValueError, match='give one of them'):
        module(clip_cfg, pretrained=clip_file, init_cfg=init_cfg)


def train_step(model, weight_decay=0.05):
    named = dict(model.named_parameters())
    optim = OptimWrapper(torch.optim.AdamW(
        [p for p in named.values() if p.requires_grad], lr=1e-2,
        weight_decay=weight_decay))
    before = {k: v.detach().clone() for k, v in named.items()}
    samples = [ActionDataSample().set_gt_label(i % 3) for i in range(2)]
    inputs = [torch.randint(0, 256, (1, 3, 4, 32, 32), dtype=torch.uint8)
              for _ in range(2)]
    model.train_step(dict(inputs=inputs, data_samples=samples), optim)
    return {k for k, v in named.items() if not torch.equal(before[k], v)}


def test_token_embedding_stays_pretrained_by_default(clip_cfg):
    model = MODELS.build(recognizer_cfg(clip_cfg))
    changed = train_step(model)
    text = {k for k, _ in model.cls_head.named_parameters()}
    assert 'clip.token_embedding.weight' in text
    assert not model.cls_head.clip.token_embedding.weight.requires_grad
    assert {'cls_head.' + k for k in text} - changed == {
        'cls_head.clip.token_embedding.weight'}


def test_train_token_embedding_switch_trains_it(clip_cfg):
    model = MODELS.build(recognizer_cfg(clip_cfg,
                                        train_token_embedding=True))
    assert 'cls_head.clip.token_embedding.weight' in train_step(model)


def test_towers_build_without_open_clips_private_builders(
        clip_cfg, clip_model, clip_file, monkeypatch, mm_log):
    from maxclip_mmaction.models import clip_utils
    keys = set(MODELS.build(recognizer_cfg(clip_cfg)).state_dict())
    monkeypatch.setattr(clip_utils, '_build_vision_tower', None)
    monkeypatch.setattr(clip_utils, '_build_text_tower', None)
    model = MODELS.build(recognizer_cfg(clip_cfg, clip_file))
    model.init_weights()
    own = model.state_dict()
    assert set(own) == keys
    for k, v in clip_model.state_dict().items():
        key = ('backbone.' if k.startswith('visual.') else 'cls_head.clip.')
        assert torch.equal(own[key + k], v), k
    assert sum('building both CLIP towers' in m for m in mm_log) == 2
