"""Recognizer3D from our config file (mixing with MMAction2's parts:
test_mixing.py)."""
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.optim import OptimWrapper

ROOT = osp.dirname(osp.dirname(osp.dirname(__file__)))
MODEL_CFG = osp.join(ROOT, 'configs/_base_/models/maxclip_vit-base-p16.py')
NAMES = ['waving', 'clapping', 'running']


def batch(num_views=1, frames=4, size=32, n=2):
    inputs = [torch.randint(0, 256, (num_views, 3, frames, size, size),
                            dtype=torch.uint8) for _ in range(n)]
    samples = [ActionDataSample().set_gt_label(i % 3) for i in range(n)]
    return dict(inputs=inputs, data_samples=samples)


def tiny_model_cfg(clip_cfg):
    cfg = Config.fromfile(MODEL_CFG).model
    for part in (cfg.backbone, cfg.cls_head):
        part.clip_arch = clip_cfg
        part.pretrained = None
    cfg.backbone.num_frames = 4
    cfg.cls_head.class_names = NAMES
    return cfg


def train_step(model):
    optim = OptimWrapper(torch.optim.AdamW(model.parameters(), lr=1e-3))
    before = [p.detach().clone() for p in model.parameters()]
    losses = model.train_step(batch(), optim)
    changed = sum(not torch.equal(b, p)
                  for b, p in zip(before, model.parameters()))
    return losses, changed


def test_recognizer3d_from_config_train_and_test_step(clip_cfg):
    model = MODELS.build(tiny_model_cfg(clip_cfg))
    assert type(model).__name__ == 'Recognizer3D'
    losses, changed = train_step(model)
    assert torch.isfinite(losses['loss_cls']) and changed > 10
    model.eval()
    for views in (1, 3):
        out = model.test_step(batch(num_views=views))
        assert len(out) == 2
        for sample in out:
            assert sample.pred_score.shape == (3, )
            # 'prob' averaging of softmaxed views sums to one
            torch.testing.assert_close(sample.pred_score.sum(),
                                       torch.tensor(1.))


def test_three_views_average_the_single_view_probabilities(clip_cfg):
    model = MODELS.build(tiny_model_cfg(clip_cfg)).eval()
    data = batch(num_views=3, n=1)
    multi = model.test_step(data)[0].pred_score
    singles = []
    for v in range(3):
        one = dict(inputs=[data['inputs'][0][v:v + 1]],
                   data_samples=[ActionDataSample().set_gt_label(0)])
        singles.append(model.test_step(one)[0].pred_score)
    torch.testing.assert_close(multi, torch.stack(singles).mean(0))


@pytest.mark.parametrize('blending', ['MixupBlending', 'CutmixBlending'])
def test_soft_targets_from_mmaction_blending(clip_cfg, blending):
    cfg = tiny_model_cfg(clip_cfg)
    cfg.cls_head.label_smooth_eps = 0.1
    cfg.data_preprocessor.blending = dict(type=blending, num_classes=3,
                                          alpha=0.8)
    model = MODELS.build(cfg)
    logits = []
    model.cls_head.register_forward_hook(
        lambda m, args, out: logits.append(out.detach()))
    torch.manual_seed(0)
    data = model.data_preprocessor(batch(n=4), training=True)
    soft = torch.stack([s.gt_label for s in data['data_samples']])
    assert soft.shape == (4, 3)  # blended: one weight per class
    torch.testing.assert_close(soft.sum(dim=1), torch.ones(4))
    assert ((soft > 0) & (soft < 1)).any()  # this seed mixes
    loss = model(**data, mode='loss')['loss_cls']
    # BaseHead's soft cross-entropy, label smoothing on the blended targets
    targets = 0.9 * soft + 0.1 / 3
    ref = -(targets * logits[0].log_softmax(dim=-1)).sum(dim=-1).mean()
    torch.testing.assert_close(loss, ref)
    hard = F.cross_entropy(logits[0], soft.argmax(dim=-1),
                           label_smoothing=0.1)
    assert not torch.allclose(loss, hard)
