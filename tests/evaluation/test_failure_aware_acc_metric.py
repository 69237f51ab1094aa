import pytest
import torch
from mmaction.evaluation import AccMetric
from mmaction.structures import ActionDataSample

from maxclip_mmaction.evaluation import FailureAwareAccMetric


def _samples(labels, num_classes, failed=()):
    samples = []
    for i, label in enumerate(labels):
        s = ActionDataSample().set_gt_label(label)
        s.set_pred_score(torch.eye(num_classes)[label])  # always right
        if i in failed:
            s.set_metainfo(dict(decode_failed=True))
        samples.append(s.to_dict())
    return samples


def _run(metric, samples):
    metric.process(None, samples)
    return metric.compute_metrics(metric.results)


def test_failed_videos_are_wrong_even_when_k_covers_every_class():
    # 3 classes: top-5 holds them all, yet a failed video is no hit.
    res = _run(FailureAwareAccMetric(), _samples([0, 1, 2, 0], 3, (1, 3)))
    assert res['failed'] == 2
    assert res['top1'] == pytest.approx(0.5)
    assert res['top5'] == pytest.approx(0.5)
    assert res['mean1'] == pytest.approx((1 / 2 + 0 + 1) / 3)


def test_int_topk_and_no_failure_match_acc_metric():
    opts = dict(top_k_accuracy=dict(topk=2))
    samples = _samples([0, 1, 2, 1], 3)
    res = _run(FailureAwareAccMetric(metric_options=opts), samples)
    ref = _run(AccMetric(metric_options=opts), samples)
    assert res == dict(ref, failed=0)
    res = _run(FailureAwareAccMetric(metric_options=opts),
               _samples([0, 1, 2, 1], 3, (0, )))
    assert set(res) == {'top2', 'mean1', 'failed'}
    assert res['top2'] == pytest.approx(3 / 4)
