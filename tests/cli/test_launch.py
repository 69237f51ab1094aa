"""The tools' process-group teardown (engine/launch.py)."""
import pytest
import torch.distributed as dist

from maxclip_mmaction.cli.launch import destroy_process_group_at_exit


def init_single_rank_group(tmp_path):
    dist.init_process_group('gloo', init_method=f'file://{tmp_path}/store',
                            rank=0, world_size=1)


def test_group_is_destroyed_when_the_run_ends(tmp_path):
    with destroy_process_group_at_exit():
        init_single_rank_group(tmp_path)
        assert dist.is_initialized()
    assert not dist.is_initialized()


def test_group_is_destroyed_when_the_run_raises(tmp_path):
    with pytest.raises(RuntimeError, match='epoch 3 failed'):
        with destroy_process_group_at_exit():
            init_single_rank_group(tmp_path)
            raise RuntimeError('epoch 3 failed')
    assert not dist.is_initialized()


def test_without_a_group_it_does_nothing():
    with destroy_process_group_at_exit():
        pass
    assert not dist.is_initialized()
