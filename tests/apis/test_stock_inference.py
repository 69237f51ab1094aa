"""MMAction2's own ``init_recognizer`` + ``inference_recognizer`` on our
configs and checkpoints, unchanged (the README promises it).

Our configs leave ``class_names=None`` for ``ClassNamesHook``, which runs
only inside a Runner; the head stores its names in the checkpoint so that
the stock API gets them back.
"""
import copy
import os.path as osp

import pytest
import torch
from mmaction.apis import inference_recognizer, init_recognizer
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.dataset import Compose, pseudo_collate
from mmengine.runner.checkpoint import (get_state_dict, save_checkpoint,
                                        weights_to_cpu)

from maxclip_mmaction.synthmotion import (BASE_CLASSES,
                                                   NOVEL_CLASSES, class_name)
from maxclip_mmaction.testing import write_video

ROOT = osp.dirname(osp.dirname(osp.dirname(__file__)))
CONFIG = osp.join(
    ROOT, 'configs/synthmotion/maxclip_tiny-s1_1xb8-8x2x1-24e_synthmotion'
    '-b2n.py')
NAMES = [class_name(c) for c in BASE_CLASSES + NOVEL_CLASSES]
GROUPS = [0] * len(BASE_CLASSES) + [1] * len(NOVEL_CLASSES)


@pytest.fixture(scope='module')
def trained(tmp_path_factory):
    """A SynthMotion model with names set as ClassNamesHook sets them,
    saved the way mmengine's Runner saves a checkpoint."""
    cfg = Config.fromfile(CONFIG)
    assert cfg.model.cls_head.class_names is None  # left to the hook
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.cls_head.set_class_names(NAMES, groups=GROUPS)
    tmp = tmp_path_factory.mktemp('stock')
    ckpt = str(tmp / 'epoch_24.pth')
    save_checkpoint(
        dict(meta=dict(epoch=24, iter=240),
             state_dict=weights_to_cpu(get_state_dict(model))), ckpt)
    video = write_video(str(tmp / 'clip.mp4'), num_frames=24)
    return model.eval(), cfg, ckpt, video


def direct_scores(model, cfg, video):
    """The saved model's scores for ``video`` through the test pipeline."""
    data = Compose(cfg.test_pipeline)(
        dict(filename=video, label=-1, start_index=0, modality='RGB'))
    with torch.no_grad():
        return model.test_step(pseudo_collate([data]))[0].pred_score


def test_init_and_inference_recognizer_unchanged(trained):
    model, cfg, ckpt, video = trained
    loaded = init_recognizer(CONFIG, ckpt, device='cpu')
    head = loaded.cls_head
    assert head.class_names == NAMES and head.class_groups == GROUPS
    result = inference_recognizer(loaded, video)
    assert result.pred_score.shape == (len(NAMES), )
    expected = direct_scores(model, cfg, video)
    torch.testing.assert_close(result.pred_score, expected)
    # 'prob' averaging softmaxes base and novel separately: each sums to 1
    base = len(BASE_CLASSES)
    torch.testing.assert_close(result.pred_score[:base].sum(),
                               torch.tensor(1.))
    torch.testing.assert_close(result.pred_score[base:].sum(),
                               torch.tensor(1.))


def test_config_class_names_win_over_the_checkpoints(trained):
    model, _, ckpt, video = trained
    cfg = Config.fromfile(CONFIG)
    cfg.model.cls_head.class_names = NAMES[:3]
    loaded = init_recognizer(cfg, ckpt, device='cpu')
    assert loaded.cls_head.class_names == NAMES[:3]
    assert loaded.cls_head.class_groups is None
    result = inference_recognizer(loaded, video)
    assert result.pred_score.shape == (3, )
    # the checkpoint's weights with the config's three names
    three = copy.deepcopy(model)
    three.cls_head.set_class_names(NAMES[:3])
    torch.testing.assert_close(result.pred_score,
                               direct_scores(three, cfg, video))
