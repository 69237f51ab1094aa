"""Test a checkpoint: MMAction2's ``tools/test.py`` flags and flow, plus
CPU-only distributed runs (``tools/dist_test.sh CONFIG CKPT N``).
"""
import os.path as osp

from mmaction.registry import RUNNERS
from mmengine.config import Config
from mmengine.runner import Runner

import maxclip_mmaction  # noqa: F401  (registers modules, compat)
from maxclip_mmaction.cli import preflight
from maxclip_mmaction.cli.launch import (add_seed_split,
                                         destroy_process_group_at_exit,
                                         load_mmaction_tool,
                                         setup_cpu_distributed, work_dir_given)
from maxclip_mmaction.cli.preflight import checkpoint_seed_split
from maxclip_mmaction.cli.seed_split import seed_split
from maxclip_mmaction.fileio import weights_only_checkpoints

mm_test = load_mmaction_tool('test')


def main():
    args = mm_test.parse_args()
    cfg = Config.fromfile(args.config)
    chosen = work_dir_given(cfg, args)
    cfg = mm_test.merge_args(cfg, args)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    if not chosen and seed_split(cfg) is not None:
        # beside the training run of the split the checkpoint was trained
        # on (recorded in it), whatever SEED_SPLIT says now
        add_seed_split(
            cfg,
            checkpoint_seed_split(args.checkpoint) or seed_split(cfg))
    cfg.load_from = args.checkpoint
    preflight(cfg, args.checkpoint, 'test')
    # resume, load_from and init_cfg Pretrained read weights-only
    with destroy_process_group_at_exit(), weights_only_checkpoints():
        setup_cpu_distributed(cfg)
        if 'runner_type' not in cfg:
            runner = Runner.from_cfg(cfg)
        else:
            runner = RUNNERS.build(cfg)
        runner.test()


if __name__ == '__main__':
    main()
