import os

import pytest
import torch
from mmengine.registry import init_default_scope

import maxclip_mmaction  # noqa: F401  (registers everything)
from maxclip_mmaction.testing import tiny_clip_cfg

# Two cores in CI: more threads than cores only adds contention.
torch.set_num_threads(min(2, os.cpu_count() or 1))
# What configs get from ``default_scope = 'mmaction'``.
init_default_scope('mmaction')


@pytest.fixture
def clip_cfg():
    """open_clip config of a tiny CLIP: width 64, 3 layers, 32 px."""
    return tiny_clip_cfg()


@pytest.fixture
def clip_model(clip_cfg):
    """A tiny open_clip CLIP with random weights (QuickGELU off)."""
    import open_clip
    torch.manual_seed(0)
    model = open_clip.CLIP(**clip_cfg)
    with torch.no_grad():  # non-trivial biases/scales, to catch misloads
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.02)
    return model.eval()


@pytest.fixture
def clip_file(clip_model, tmp_path):
    """The tiny CLIP saved as ``torch.save(model.state_dict())`` writes it."""
    path = tmp_path / 'tiny_clip.pth'
    torch.save(clip_model.state_dict(), path)
    return str(path)


@pytest.fixture(scope='session')
def synthmotion_root(tmp_path_factory):
    """A small SynthMotion (16 train / 4 val videos a class), made once."""
    from maxclip_mmaction.synthmotion import make_synthmotion
    root = str(tmp_path_factory.mktemp('synthmotion'))
    make_synthmotion(root, train_per_class=16, val_per_class=4)
    return root
