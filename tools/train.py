"""Train a recognizer: MMAction2's ``tools/train.py`` flags and flow, plus
CPU-only distributed runs (``tools/dist_train.sh CONFIG N`` without GPUs).
"""
from mmaction.registry import RUNNERS
from mmengine.config import Config
from mmengine.runner import Runner

import maxclip_mmaction  # noqa: F401  (registers modules, compat)
from maxclip_mmaction.cli import preflight
from maxclip_mmaction.cli.launch import (add_seed_split,
                                         destroy_process_group_at_exit,
                                         load_mmaction_tool,
                                         setup_cpu_distributed, work_dir_given)
from maxclip_mmaction.cli.seed_split import seed_split
from maxclip_mmaction.engine import find_resumable_checkpoint
from maxclip_mmaction.fileio import weights_only_checkpoints

mm_train = load_mmaction_tool('train')


def main():
    args = mm_train.parse_args()
    cfg = Config.fromfile(args.config)
    chosen = work_dir_given(cfg, args)
    cfg = mm_train.merge_args(cfg, args)
    if not chosen:  # one work dir per base-to-novel seed split
        add_seed_split(cfg, seed_split(cfg))
    if cfg.get('resume') and cfg.get('load_from') is None:
        # last_checkpoint may name a file a killed save never finished
        cfg.load_from = find_resumable_checkpoint(cfg.work_dir)
        cfg.resume = cfg.load_from is not None
    preflight(cfg, None if cfg.resume else cfg.get('load_from'), 'train')
    # resume, load_from and init_cfg Pretrained read weights-only
    with destroy_process_group_at_exit(), weights_only_checkpoints():
        setup_cpu_distributed(cfg)
        if 'runner_type' not in cfg:
            runner = Runner.from_cfg(cfg)
        else:
            runner = RUNNERS.build(cfg)
        runner.train()


if __name__ == '__main__':
    main()
