import os.path as osp
import re
import subprocess
import sys

import pytest
import torch
from mmengine.config import Config

from maxclip_mmaction.apis import init_zero_shot_recognizer, rank_class_names
from maxclip_mmaction.testing import tiny_clip_cfg, write_video

ROOT = osp.dirname(osp.dirname(osp.dirname(__file__)))


@pytest.fixture
def tiny_config(tmp_path, clip_file):
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs/_base_/models/maxclip_vit-base-p16.py'))
    for part in (cfg.model.backbone, cfg.model.cls_head):
        part.clip_arch = tiny_clip_cfg()
        part.pretrained = clip_file
    cfg.model.backbone.num_frames = 4
    cfg.test_pipeline = [
        dict(type='DecordInit'),
        dict(type='UniformSample', clip_len=4, num_clips=1, test_mode=True),
        dict(type='DecordDecode'),
        dict(type='Resize', scale=(-1, 32)),
        dict(type='CenterCrop', crop_size=32),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs')
    ]
    path = str(tmp_path / 'tiny_cfg.py')
    cfg.dump(path)
    return path


def test_ranks_user_class_names_on_a_generated_video(tiny_config, tmp_path,
                                                     clip_model):
    video = write_video(str(tmp_path / 'clip.mp4'), num_frames=12)
    model = init_zero_shot_recognizer(tiny_config)
    # zero-shot: the config's pretrained CLIP file was loaded
    torch.testing.assert_close(model.backbone.visual.conv1.weight,
                               clip_model.visual.conv1.weight)
    names = ['red square sliding right', 'blue circle', 'nothing', 'a dog']
    ranked = rank_class_names(model, video, names)
    assert sorted(n for n, _ in ranked) == sorted(names)
    probs = [p for _, p in ranked]
    assert probs == sorted(probs, reverse=True)
    assert sum(probs) == pytest.approx(1, abs=1e-5)
    top2 = rank_class_names(model, video, ['x', 'y', 'z'], topk=2)
    assert len(top2) == 2 and {n for n, _ in top2} <= {'x', 'y', 'z'}


def test_demo_cli_prints_ranked_names(tiny_config, tmp_path):
    video = write_video(str(tmp_path / 'clip.avi'), num_frames=10)
    out = subprocess.run(
        [sys.executable, osp.join(ROOT, 'tools/demo.py'), tiny_config, video,
         '--labels', 'juggling,surfing,archery', '--topk', '3'],
        capture_output=True, text=True, check=True)
    lines = re.findall(r'^ *\d+\. .*$', out.stdout, flags=re.M)
    assert len(lines) == 3 and lines[0].startswith(' 1. ')
    assert {ln.split()[1] for ln in lines} == {'juggling', 'surfing',
                                               'archery'}


def test_missing_and_unreadable_videos_are_named(tiny_config, tmp_path):
    model = init_zero_shot_recognizer(tiny_config)
    missing = str(tmp_path / 'nope.mp4')
    with pytest.raises(FileNotFoundError, match=f'video not found: '
                       f'{re.escape(missing)}'):
        rank_class_names(model, missing, ['a', 'b'])
    empty = tmp_path / 'empty.mp4'
    empty.write_bytes(b'')
    with pytest.raises(RuntimeError, match=f'cannot read video '
                       f'{re.escape(str(empty))}: empty file'):
        rank_class_names(model, str(empty), ['a', 'b'])
    video = write_video(str(tmp_path / 'cut.mp4'), num_frames=12)
    data = open(video, 'rb').read()
    (tmp_path / 'cut.mp4').write_bytes(data[:len(data) // 3])
    with pytest.raises(RuntimeError, match='cannot read video .*cut.mp4'):
        rank_class_names(model, video, ['a', 'b'])


def test_each_score_belongs_to_its_name(tiny_config, tmp_path):
    """The probability paired with a name is the softmax of the head's
    own logit for that name, and reordering the names moves each score
    with its name."""
    video = write_video(str(tmp_path / 'clip.mp4'), num_frames=12)
    model = init_zero_shot_recognizer(tiny_config)
    logits = []
    model.cls_head.register_forward_hook(
        lambda module, args, out: logits.append(out.detach()))
    names = ['juggling', 'surfing', 'archery', 'knitting', 'a dog']
    ranked = dict(rank_class_names(model, video, names))
    [out] = logits  # (1 view, C) in the order the names were given
    expected = out.float().softmax(dim=-1)[0]
    assert [ranked[n] for n in names] == pytest.approx(expected.tolist(),
                                                       abs=1e-6)
    assert len(set(round(p, 4) for p in ranked.values())) == len(names)
    order = [3, 0, 4, 2, 1]
    permuted = dict(rank_class_names(model, video,
                                     [names[i] for i in order]))
    assert permuted == pytest.approx(ranked, abs=1e-6)
