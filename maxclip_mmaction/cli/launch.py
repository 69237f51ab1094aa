"""Launch helpers shared by ``tools/train.py`` and ``tools/test.py``."""
import contextlib
import datetime
import importlib.util
import os
import os.path as osp
from types import ModuleType
from typing import Iterator, Optional

import torch
import torch.distributed as dist
from mmengine.config import Config
from mmengine.logging import print_log


def load_mmaction_tool(name: str) -> ModuleType:
    """Import MMAction2's own ``tools/{name}.py`` (shipped in ``.mim``).

    Our tools reuse its ``parse_args`` / ``merge_args`` so the command-line
    flags stay exactly MMAction2's.
    """
    import mmaction
    path = osp.join(osp.dirname(mmaction.__file__), '.mim', 'tools',
                    f'{name}.py')
    if not osp.isfile(path):
        raise FileNotFoundError(
            f'MMAction2 tool not found at {path}; reinstall mmaction2 '
            f'(pip install mmaction2) so its tools are shipped')
    spec = importlib.util.spec_from_file_location(f'mmaction_tool_{name}',
                                                  path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def setup_cpu_distributed(cfg: Config) -> bool:
    """Make ``launcher='pytorch'`` work on machines without CUDA.

    mmengine's pytorch launcher calls ``torch.cuda.set_device`` and its DDP
    wrapper passes ``device_ids``; neither works on CPU. Without patching
    mmengine we (1) start the process group over gloo ourselves, so the
    Runner sees it initialised and skips its own ``init_dist``, and (2) give
    the DDP wrapper ``device_ids=None``. Returns True if it did so.
    """
    if cfg.get('launcher', 'none') == 'none' or torch.cuda.is_available():
        return False
    dist_cfg = dict(cfg.env_cfg.get('dist_cfg', {}), backend='gloo')
    cfg.env_cfg.dist_cfg = dist_cfg
    if not dist.is_initialized():
        timeout = datetime.timedelta(seconds=dist_cfg.get('timeout', 1800))
        dist.init_process_group(
            backend='gloo',
            rank=int(os.environ['RANK']),
            world_size=int(os.environ['WORLD_SIZE']),
            timeout=timeout)
    wrapper = dict(cfg.get('model_wrapper_cfg') or {})
    wrapper.setdefault('type', 'MMDistributedDataParallel')
    wrapper.update(device_ids=None)
    wrapper.setdefault('broadcast_buffers', False)
    wrapper.setdefault('find_unused_parameters',
                       cfg.get('find_unused_parameters', False))
    cfg.model_wrapper_cfg = wrapper
    return True


@contextlib.contextmanager
def destroy_process_group_at_exit() -> Iterator[None]:
    """Destroy the default process group when the wrapped run ends.

    mmengine's Runner never calls ``destroy_process_group``. With gloo, a
    process that exits with the group alive can abort in the interpreter's
    teardown ("terminate called without an active exception", SIGABRT) while
    gloo's worker threads still hold tensors (pytorch/pytorch issue 190489),
    and torchrun then reports the finished run as failed. NCCL warns about the
    same omission since PyTorch 2.4.
    """
    try:
        yield
    finally:
        if dist.is_available() and dist.is_initialized():
            dist.destroy_process_group()


def work_dir_given(cfg: Config, args) -> bool:
    """Whether the user chose the work dir: ``--work-dir``, ``work_dir``
    in the config file or ``--cfg-options work_dir=...``. Call before
    MMAction2's ``merge_args``, which fills in the default."""
    return (args.work_dir is not None or cfg.get('work_dir') is not None
            or 'work_dir' in (args.cfg_options or {}))


def add_seed_split(cfg: Config, split: Optional[str]) -> None:
    """``work_dirs/<config>`` -> ``work_dirs/<config>_s<split>``.

    The base-to-novel configs train one seed split per run (SEED_SPLIT);
    without this the three runs of a config would share MMAction2's
    default work dir, and seed 2 would overwrite seed 1's checkpoints (or
    ``--resume`` from them). Only for a work dir the user did not choose.
    """
    if split is None:
        return
    cfg.work_dir = f'{cfg.work_dir.rstrip("/")}_s{split}'
    if int(os.environ.get('RANK', 0)) == 0:
        print_log(f'seed split {split}: work dir {cfg.work_dir} '
                  f'(--work-dir overrides it)', logger='current')
