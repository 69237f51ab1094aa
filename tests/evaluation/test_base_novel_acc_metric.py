import numpy as np
import pytest
import torch
from mmaction.evaluation import AccMetric
from mmaction.structures import ActionDataSample

from maxclip_mmaction.evaluation import BaseNovelAccMetric, harmonic_mean
from maxclip_mmaction.models.heads import VideoTextHead

BASE = ['jumping', 'running', 'swimming', 'climbing', 'rowing', 'skiing']
NOVEL = ['boxing', 'dancing', 'diving', 'fencing', 'surfing', 'yoga', 'golf']


def _samples(labels):
    return [ActionDataSample().set_gt_label(int(y)) for y in labels]


def _predict(head, feats, labels):
    with torch.no_grad():
        samples = head.predict(feats, _samples(labels))
    return [s.to_dict() for s in samples]


def _run(metric, samples, meta=None):
    metric.dataset_meta = meta
    metric.process(None, samples)
    return metric.evaluate(len(samples))


def test_one_pass_equals_two_separate_evaluations(clip_cfg):
    torch.manual_seed(0)
    head = VideoTextHead(clip_arch=clip_cfg, average_clips='prob').eval()
    nb, nn, views = 40, 30, 2
    base_y = torch.randint(len(BASE), (nb, ))
    novel_y = torch.randint(len(NOVEL), (nn, ))
    base_x = torch.randn(nb * views, 5, 32)  # (B*V, T', E)
    novel_x = torch.randn(nn * views, 5, 32)

    head.set_class_names(BASE)
    base = _run(AccMetric(), _predict(head, base_x, base_y))
    head.set_class_names(NOVEL)
    novel = _run(AccMetric(), _predict(head, novel_x, novel_y))

    groups = [0] * len(BASE) + [1] * len(NOVEL)
    head.set_class_names(BASE + NOVEL, groups=groups)
    union_y = torch.cat([base_y, novel_y + len(BASE)])
    samples = _predict(head, torch.cat([base_x, novel_x]), union_y)
    meta = dict(
        classes=BASE + NOVEL,
        class_groups=groups,
        group_names=['base', 'novel'])
    one = _run(BaseNovelAccMetric(), samples, meta)

    assert list(one)[0] == 'hm'
    for name, sep in (('base', base), ('novel', novel)):
        assert one[f'{name}/top1'] == pytest.approx(sep['acc/top1'])
        assert one[f'{name}/top5'] == pytest.approx(sep['acc/top5'])
        assert one[f'{name}/mean1'] == pytest.approx(sep['acc/mean1'])
    b, n = base['acc/top1'], novel['acc/top1']
    assert one['hm'] == pytest.approx(2 * b * n / (b + n))
    # the union ranking differs from the per-group one: the metric must
    # not just take the argmax over all classes
    assert 0 < one['base/top1'] < 1


def test_scores_outside_the_group_are_ignored():
    meta = dict(class_groups=[0, 0, 1, 1], group_names=['base', 'novel'])
    samples = []
    # a base video whose best score is a novel class, right within base
    for score, label in (([0.2, 0.1, 0.9, 0.9], 0), ([0.1, 0.9, 5, 5], 1),
                         ([9, 9, 0.3, 0.1], 2), ([9, 9, 0.1, 0.3], 2)):
        s = ActionDataSample().set_gt_label(label)
        s.set_pred_score(torch.tensor(score))
        samples.append(s.to_dict())
    res = _run(BaseNovelAccMetric(topk=(1, )), samples, meta)
    assert res['base/top1'] == 1.0
    assert res['novel/top1'] == 0.5
    assert res['hm'] == pytest.approx(2 / 3)


def test_a_group_without_samples_gives_hm_zero():
    meta = dict(class_groups=[0, 0, 1, 1], group_names=['base', 'novel'])
    s = [ActionDataSample().set_gt_label(0).set_pred_score(
        torch.tensor([0.9, 0.1, 0.0, 0.0])).to_dict()]
    res = _run(BaseNovelAccMetric(topk=(1, )), s, meta)
    assert res['base/top1'] == 1.0 and 'novel/top1' not in res
    assert res['hm'] == 0.0


def test_one_group_without_meta():
    s = [
        ActionDataSample().set_gt_label(1).set_pred_score(
            torch.tensor([0.1, 0.8, 0.1])).to_dict()
    ]
    res = _run(BaseNovelAccMetric(), s, dict(classes=['a', 'b', 'c']))
    assert res == {
        'hm': 1.0,
        'all/top1': 1.0,
        'all/top5': 1.0,
        'all/mean1': 1.0,
        'failed': 0
    }


def test_group_count_mismatch_raises():
    s = [
        ActionDataSample().set_gt_label(0).set_pred_score(
            torch.tensor([0.1, 0.8, 0.1])).to_dict()
    ]
    with pytest.raises(
            ValueError, match='2 class groups but the model '
            'scored 3 classes'):
        _run(BaseNovelAccMetric(), s, dict(class_groups=[0, 1]))


def test_harmonic_mean():
    assert harmonic_mean([0.5, 0.25]) == pytest.approx(1 / 3)
    assert harmonic_mean([0.5, 0.0]) == 0.0
    assert harmonic_mean([]) == 0.0
    assert np.isclose(harmonic_mean([0.4]), 0.4)


def _perfect(labels, num_classes, failed=()):
    """Samples whose scores rank the true label first; ``failed`` indices
    are marked as RobustDecodeMixin marks a substituted video."""
    samples = []
    for i, label in enumerate(labels):
        s = ActionDataSample().set_gt_label(label)
        s.set_pred_score(torch.eye(num_classes)[label])
        if i in failed:
            s.set_metainfo(dict(decode_failed=True))
        samples.append(s.to_dict())
    return samples


def test_failed_videos_count_wrong_at_every_k():
    # Two classes per group, so top-5 holds every class of a group: a
    # failed video must still be wrong there.
    meta = dict(class_groups=[0, 0, 1, 1], group_names=['base', 'novel'])
    samples = _perfect([0, 1, 0, 2, 3, 3, 2], 4, failed=(1, 4, 6))
    res = _run(BaseNovelAccMetric(topk=(1, 5)), samples, meta)
    assert res['failed'] == 3
    for k in (1, 5):
        assert res[f'base/top{k}'] == pytest.approx(2 / 3)
        assert res[f'novel/top{k}'] == pytest.approx(2 / 4)
    assert res['base/mean1'] == pytest.approx((2 / 2 + 0 / 1) / 2)
    assert res['novel/mean1'] == pytest.approx((1 / 2 + 1 / 2) / 2)
    assert res['hm'] == pytest.approx(harmonic_mean([2 / 3, 2 / 4]))


def test_every_video_failed_gives_zero():
    meta = dict(class_groups=[0, 0, 1, 1], group_names=['base', 'novel'])
    res = _run(BaseNovelAccMetric(topk=(1, 5)),
               _perfect([0, 3], 4, failed=(0, 1)), meta)
    assert res['base/top5'] == 0.0 and res['novel/top1'] == 0.0
    assert res['hm'] == 0.0 and res['failed'] == 2
