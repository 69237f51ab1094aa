"""SafeCheckpointHook keeps a best file and ``last_checkpoint`` whole.

A toy model and a metric whose score is scripted per epoch keep the real
mmengine ``Runner`` (train loop, val loop, message hub, checkpoint saves)
fast; a failure injected into one file operation stands in for a kill.
"""
import os
import os.path as osp

import pytest
import torch
import torch.nn as nn
from mmengine.evaluator import BaseMetric, Evaluator
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch.utils.data import Dataset

from maxclip_mmaction.engine import atomic_checkpoint
from maxclip_mmaction.engine.hooks import SafeCheckpointHook
from maxclip_mmaction.fileio import safe_load


class ToyModel(BaseModel):

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        out = self.linear(torch.stack(inputs))
        if mode == 'loss':
            return dict(loss=out.pow(2).mean())
        return list(out)


class ToyData(Dataset):

    def __len__(self):
        return 4

    def __getitem__(self, idx):
        return dict(inputs=torch.full((2, ), float(idx)), data_samples=idx)


class ScriptedAcc(BaseMetric):
    """Reports ``scores[k]`` at the k-th validation."""

    def __init__(self, scores):
        super().__init__()
        self.scores = list(scores)

    def process(self, data_batch, data_samples):
        self.results.append(0)

    def compute_metrics(self, results):
        return dict(acc=self.scores.pop(0))


def make_runner(tmp_path, scores, name, **hook_args):
    loader = dict(dataset=ToyData(), batch_size=2, num_workers=0,
                  sampler=dict(type='DefaultSampler', shuffle=False),
                  collate_fn=dict(type='pseudo_collate'))
    hook = SafeCheckpointHook(interval=1, **hook_args)
    return Runner(
        model=ToyModel(), work_dir=str(tmp_path / 'work'),
        train_dataloader=loader, val_dataloader=loader,
        val_evaluator=Evaluator(ScriptedAcc(scores)),
        train_cfg=dict(by_epoch=True, max_epochs=len(scores),
                       val_interval=1),
        val_cfg=dict(), optim_wrapper=dict(
            optimizer=dict(type='SGD', lr=0.01)),
        default_hooks=dict(checkpoint=hook), default_scope='mmaction',
        experiment_name=f'{tmp_path.name}-{name}')


def best_files(work):
    return sorted(n for n in os.listdir(work) if n.startswith('best_'))


def test_a_best_file_exists_at_every_write(tmp_path, monkeypatch):
    work = str(tmp_path / 'work')
    seen = []
    put = atomic_checkpoint.AtomicLocalBackend.put

    def checking_put(self, obj, filepath):
        if osp.basename(str(filepath)).startswith('best_'):
            seen.append((osp.basename(str(filepath)), best_files(work)))
        put(self, obj, filepath)

    monkeypatch.setattr(atomic_checkpoint.AtomicLocalBackend, 'put',
                        checking_put)
    runner = make_runner(tmp_path, [0.1, 0.5, 0.3, 0.9], 'best',
                         save_best='acc', max_keep_ckpts=1)
    runner.train()
    # Each new best is written while the previous one is still there.
    assert seen == [('best_acc_epoch_1.pth', []),
                    ('best_acc_epoch_2.pth', ['best_acc_epoch_1.pth']),
                    ('best_acc_epoch_4.pth', ['best_acc_epoch_2.pth'])]
    assert best_files(work) == ['best_acc_epoch_4.pth']
    assert sorted(n for n in os.listdir(work) if n.endswith('.pth')) == [
        'best_acc_epoch_4.pth', 'epoch_4.pth']
    hub = safe_load(osp.join(work, 'epoch_4.pth'))['message_hub']
    assert hub['runtime_info']['best_ckpt'] == osp.join(
        work, 'best_acc_epoch_4.pth')
    assert hub['runtime_info']['best_score'] == 0.9


def test_a_failed_best_save_keeps_the_previous_best(tmp_path, monkeypatch):
    work = str(tmp_path / 'work')
    put = atomic_checkpoint.AtomicLocalBackend.put

    def failing_put(self, obj, filepath):
        if osp.basename(str(filepath)) == 'best_acc_epoch_2.pth':
            raise KeyboardInterrupt  # killed while writing the new best
        put(self, obj, filepath)

    monkeypatch.setattr(atomic_checkpoint.AtomicLocalBackend, 'put',
                        failing_put)
    runner = make_runner(tmp_path, [0.1, 0.5], 'kill', save_best='acc')
    with pytest.raises(KeyboardInterrupt):
        runner.train()
    assert best_files(work) == ['best_acc_epoch_1.pth']
    ckpt = safe_load(osp.join(work, 'best_acc_epoch_1.pth'))
    assert ckpt['meta']['epoch'] == 1


def test_last_checkpoint_is_replaced_atomically(tmp_path, monkeypatch):
    work = str(tmp_path / 'work')
    pointer = osp.join(work, 'last_checkpoint')
    replace = os.replace

    def failing_replace(src, dst):
        if dst == pointer and osp.exists(osp.join(work, 'epoch_2.pth')):
            raise KeyboardInterrupt  # killed before the rename
        replace(src, dst)

    monkeypatch.setattr(os, 'replace', failing_replace)
    runner = make_runner(tmp_path, [0.1, 0.2], 'pointer', save_best=None,
                         max_keep_ckpts=1)
    with pytest.raises(KeyboardInterrupt):
        runner.train()
    # The old pointer is whole and its file was not deleted yet.
    with open(pointer) as f:
        assert f.read() == osp.join(work, 'epoch_1.pth')
    assert osp.isfile(osp.join(work, 'epoch_1.pth'))
    assert not [n for n in os.listdir(work) if n.startswith('.tmp-')]
