"""MMAction2 heads on MaxCLIPViT, and VideoTextHead on an MMAction2 3D CNN:
each combination the README's mixing table lists, built as Recognizer3D."""
import pytest
import torch
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.optim import OptimWrapper

NAMES = ['waving', 'clapping', 'running']


def batch(frames=4, size=32, n=2):
    inputs = [torch.randint(0, 256, (1, 3, frames, size, size),
                            dtype=torch.uint8) for _ in range(n)]
    samples = [ActionDataSample().set_gt_label(i % 3) for i in range(n)]
    return dict(inputs=inputs, data_samples=samples)


def recognizer(backbone, head):
    return MODELS.build(dict(
        type='Recognizer3D', backbone=backbone, cls_head=head,
        data_preprocessor=dict(type='ActionDataPreprocessor',
                               format_shape='NCTHW')))


def maxclip(clip_cfg, out_pool):
    return dict(type='MaxCLIPViT', clip_arch=clip_cfg, num_frames=4,
                out_pool=out_pool)


def train_and_test(model, **kwargs):
    optim = OptimWrapper(torch.optim.AdamW(model.parameters(), lr=1e-3))
    losses = model.train_step(batch(**kwargs), optim)
    assert torch.isfinite(losses['loss_cls'])
    out = model.eval().test_step(batch(**kwargs))
    assert [s.pred_score.shape for s in out] == [(3, )] * 2


# (B, E) features from out_pool: heads whose forward is a linear layer on
# them (I3DHead only without its spatial pooling)
LINEAR_HEADS = [
    dict(type='I3DHead', spatial_type=None),
    dict(type='TimeSformerHead'),
    dict(type='UniFormerHead'),
]


@pytest.mark.parametrize('out_pool', ['max', 'mean'])
@pytest.mark.parametrize('head', LINEAR_HEADS, ids=lambda h: h['type'])
def test_mmaction_linear_heads_on_pooled_maxclip(clip_cfg, out_pool, head):
    head = dict(head, num_classes=3, in_channels=32, average_clips='prob')
    train_and_test(recognizer(maxclip(clip_cfg, out_pool), head))


@pytest.mark.parametrize('out_pool', [None, 'max', 'mean'])
def test_video_text_head_on_maxclip_every_out_pool(clip_cfg, out_pool):
    head = dict(type='VideoTextHead', clip_arch=clip_cfg, class_names=NAMES)
    train_and_test(recognizer(maxclip(clip_cfg, out_pool), head))


@pytest.mark.parametrize('head,err,match', [
    # 2D-recognizer heads take num_segs, which Recognizer3D does not pass
    (dict(type='TSNHead'), TypeError, 'num_segs'),
    # I3DHead's default spatial pooling needs (B, C, T, H, W) maps
    (dict(type='I3DHead'), ValueError, 'at least 4'),
])
def test_heads_the_mixing_table_rules_out(clip_cfg, head, err, match):
    head = dict(head, num_classes=3, in_channels=32)
    model = recognizer(maxclip(clip_cfg, 'max'), head)
    with pytest.raises(err, match=match):
        model.test_step(batch())


def test_video_text_head_on_x3d_names_the_in_channels_to_set(clip_cfg):
    x3d = dict(type='X3D', gamma_w=1, gamma_b=2.25, gamma_d=0.5)
    head = dict(type='VideoTextHead', clip_arch=clip_cfg, class_names=NAMES)
    with pytest.raises(ValueError, match=r'in_channels=432\b.*'
                       r'\(1, 432, 4, 1, 1\)|\(1, 432, 4, 1, 1\).*'
                       r'in_channels=432\b'):
        recognizer(x3d, head).eval().test_step(batch(n=1))
    model = recognizer(x3d, dict(head, in_channels=432))
    proj = model.cls_head.proj.weight.detach().clone()
    train_and_test(model)
    assert not torch.equal(proj, model.cls_head.proj.weight)
