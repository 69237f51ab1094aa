import os.path as osp

import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.runner import Runner

from maxclip_mmaction.analysis import (adjacent_similarity, average_similarity,
                                       frame_labels, frame_similarity,
                                       load_frame_model, plot_similarity)
from maxclip_mmaction.testing import write_video

ROOT = osp.dirname(osp.dirname(osp.dirname(__file__)))
PNG_MAGIC = b'\x89PNG'


def check_matrix(matrix, size):
    assert matrix.shape == (size, size)
    np.testing.assert_array_equal(matrix, matrix.T)
    np.testing.assert_allclose(np.diagonal(matrix), 1.0, atol=1e-6)
    assert matrix.max() <= 1 + 1e-6 and matrix.min() >= -1 - 1e-6


def test_frame_similarity_is_cosine_symmetric_unit_diagonal():
    feats = torch.randn(3, 5, 16)
    sim = frame_similarity(feats)
    for b in range(3):
        check_matrix(sim[b].numpy(), 5)
    # every entry against cosines computed independently in float64 (the
    # function sets the diagonal and symmetrises, so check all of it)
    f = feats.double()
    ref = torch.einsum('bte,bse->bts', f, f) / (
        f.norm(dim=-1)[:, :, None] * f.norm(dim=-1)[:, None, :])
    torch.testing.assert_close(sim.double(), ref, atol=1e-6, rtol=0)
    with pytest.raises(ValueError, match='frame embeddings'):
        frame_similarity(torch.randn(5, 16))


def test_frame_labels_mark_pooled_frames():
    assert frame_labels(3, 2) == ['1', '2', '3', 'p1', 'p2']
    assert frame_labels(4, 0) == ['1', '2', '3', '4']


def tiny_config(tmp_path, num_videos=3, pool_layers=2, out_pool='max'):
    videos = tmp_path / 'videos'
    videos.mkdir(exist_ok=True)
    ann = tmp_path / 'ann.txt'
    ann.write_text(''.join(f'v{i}.mp4 {i % 2}\n' for i in range(num_videos)))
    for i in range(num_videos):
        write_video(str(videos / f'v{i}.mp4'), num_frames=8, seed=i)
    cfg = Config.fromfile(
        osp.join(ROOT, 'configs/_base_/models/'
                 'maxclip_tiny.py'))
    cfg.merge_from_dict(
        dict(
            custom_imports=dict(
                imports=['maxclip_mmaction'], allow_failed_imports=False),
            default_scope='mmaction'))
    cfg.model.backbone.update(
        num_frames=4, pool_layers=pool_layers, out_pool=out_pool)
    pipeline = [
        dict(type='DecordInit'),
        dict(
            type='SampleFrames',
            clip_len=4,
            frame_interval=2,
            num_clips=1,
            test_mode=True),
        dict(type='DecordDecode'),
        dict(type='Resize', scale=(32, 32), keep_ratio=False),
        dict(type='FormatShape', input_format='NCTHW'),
        dict(type='PackActionInputs')
    ]
    cfg.val_dataloader = dict(
        batch_size=2,
        num_workers=0,
        persistent_workers=False,
        sampler=dict(type='DefaultSampler', shuffle=False),
        dataset=dict(
            type='VideoDataset',
            ann_file=str(ann),
            data_prefix=dict(video=str(videos)),
            pipeline=pipeline,
            test_mode=True))
    path = str(tmp_path / f'tiny_s{pool_layers}.py')
    cfg.dump(path)
    return path


def test_average_similarity_of_a_tiny_model_on_batches(tmp_path):
    model = load_frame_model(tiny_config(tmp_path, pool_layers=2))
    # out_pool='max' in the config is overridden: frame embeddings come out
    assert model.backbone.out_pool is None
    torch.manual_seed(0)
    batches = [
        dict(
            inputs=[
                torch.randint(0, 255, (2, 3, 4, 32, 32), dtype=torch.uint8)
                for _ in range(2)
            ],
            data_samples=[ActionDataSample() for _ in range(2)])
        for _ in range(3)
    ]
    seen = []
    matrix, skipped = average_similarity(
        model, batches, max_videos=5, progress=seen.append)
    assert skipped == 0
    check_matrix(matrix, 4 + 2)
    assert seen == [2, 2, 1]
    # the mean over views equals the matrices averaged by hand
    clips = torch.cat(
        [torch.stack(b['inputs']).flatten(0, 1) for b in batches])[:5 * 2]
    data = model.data_preprocessor(
        dict(
            inputs=list(clips.unflatten(0, (5, 2))),
            data_samples=[ActionDataSample() for _ in range(5)]))
    with torch.no_grad():
        feats = model.backbone(data['inputs'].flatten(0, 1))
    expect = frame_similarity(feats).double().mean(dim=0).numpy()
    np.testing.assert_allclose(matrix, expect, atol=1e-6)
    assert -1 <= adjacent_similarity(matrix, 4) <= 1


def test_plot_similarity_writes_png(tmp_path):
    mats = [np.eye(3), np.ones((5, 5))]
    out = tmp_path / 'sim.png'
    plot_similarity(
        mats, [frame_labels(3, 0), frame_labels(3, 2)],
        ['mean', 'max + tokens'], str(out))
    assert out.read_bytes()[:4] == PNG_MAGIC
    with pytest.raises(ValueError, match='titles'):
        plot_similarity(mats, [frame_labels(3, 0)], ['a', 'b'], str(out))


def test_similarity_tool_on_two_models_with_checkpoint(tmp_path, load_tool):
    cfg_pool = tiny_config(tmp_path, pool_layers=1)
    cfg_plain = tiny_config(tmp_path, pool_layers=0, out_pool=None)
    ckpt = str(tmp_path / 'ckpt.pth')
    torch.save(dict(state_dict=load_frame_model(cfg_pool).state_dict()), ckpt)
    out = tmp_path / 'out'
    load_tool('similarity_matrix').main([
        '--model', cfg_plain, 'none', '--model', cfg_pool, ckpt, '--labels',
        'mean', 'max + tokens', '--out-dir',
        str(out), '--max-videos', '2'
    ])
    assert (out / 'similarity.png').read_bytes()[:4] == PNG_MAGIC
    saved = np.load(out / 'similarity.npz')
    assert list(saved['names']) == ['mean', 'max + tokens']
    check_matrix(saved['matrix_0'], 4)
    check_matrix(saved['matrix_1'], 5)
    assert list(saved['frames_1']) == ['1', '2', '3', '4', 'p1']
    # the checkpoint was loaded: a fresh load gives the same matrix
    model = load_frame_model(cfg_pool, ckpt)
    loader = Runner.build_dataloader(model.cfg.val_dataloader)
    np.testing.assert_allclose(
        average_similarity(model, loader, max_videos=2)[0],
        saved['matrix_1'],
        atol=1e-6)
    assert list(saved['skipped']) == [0, 0]


def test_failed_videos_are_skipped_and_counted(tmp_path):
    model = load_frame_model(tiny_config(tmp_path, pool_layers=1))
    torch.manual_seed(0)
    clips = torch.randint(0, 255, (4, 1, 3, 4, 32, 32), dtype=torch.uint8)
    samples = [ActionDataSample() for _ in range(4)]
    # RobustDecodeMixin gives a failed video another video's frames.
    samples[1].set_metainfo(dict(decode_failed=True))
    clips[1] = clips[0]
    batches = [dict(inputs=list(clips[i:i + 2]),
                    data_samples=samples[i:i + 2]) for i in (0, 2)]
    matrix, skipped = average_similarity(model, batches)
    assert skipped == 1
    good = [0, 2, 3]
    expect, _ = average_similarity(model, [dict(
        inputs=list(clips[good]), data_samples=[samples[i] for i in good])])
    np.testing.assert_allclose(matrix, expect, atol=1e-6)
    with pytest.raises(ValueError, match='no readable video.*1 failed'):
        average_similarity(model, [dict(inputs=list(clips[1:2]),
                                        data_samples=samples[1:2])])


def test_none_checkpoint_keeps_the_configs_pretrained_clip(tmp_path):
    import open_clip

    from maxclip_mmaction.testing import tiny_clip_cfg
    torch.manual_seed(1)
    clip = open_clip.CLIP(**tiny_clip_cfg())
    weights = str(tmp_path / 'tiny_clip.pth')
    torch.save(clip.state_dict(), weights)
    cfg_path = tiny_config(tmp_path, pool_layers=1)
    cfg = Config.fromfile(cfg_path)
    cfg.model.backbone.pretrained = weights
    cfg.model.cls_head.pretrained = weights
    cfg.dump(cfg_path)
    model = load_frame_model(cfg_path, None)
    own = model.backbone.state_dict()
    for key, value in clip.visual.state_dict().items():
        torch.testing.assert_close(own[f'visual.{key}'], value, rtol=0,
                                   atol=0)
    torch.testing.assert_close(
        model.cls_head.state_dict()['clip.token_embedding.weight'],
        clip.token_embedding.weight, rtol=0, atol=0)


def test_similarity_tool_reports_skipped_videos(tmp_path, load_tool,
                                                capsys):
    cfg_path = tiny_config(tmp_path, num_videos=3, pool_layers=1)
    cfg = Config.fromfile(cfg_path)
    with open(cfg.val_dataloader.dataset.ann_file, 'a') as f:
        f.write('missing.mp4 0\n')
    cfg.val_dataloader.dataset.update(type='OpenVocabVideoDataset',
                                      class_names=['a', 'b'])
    cfg.dump(cfg_path)
    out = tmp_path / 'out'
    load_tool('similarity_matrix').main(
        ['--model', cfg_path, 'none', '--out-dir', str(out)])
    assert 'skipped 1 of 4 videos that failed to decode' in \
        capsys.readouterr().out
    assert list(np.load(out / 'similarity.npz')['skipped']) == [1]
