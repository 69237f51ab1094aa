custom_imports = dict(imports=['maxclip_mmaction'], allow_failed_imports=False)
default_scope = 'mmaction'

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20, ignore_last=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    # save_best='auto' picks the first metric (hm for base-to-novel, top1
    # otherwise); mmengine cannot infer a rule for 'hm', and every metric
    # of ours is higher-is-better.
    # SafeCheckpointHook: mmengine's CheckpointHook with atomic saves that
    # delete old checkpoints only after the new one is complete.
    checkpoint=dict(
        type='SafeCheckpointHook',
        interval=1,
        save_best='auto',
        rule='greater',
        max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    sync_buffers=dict(type='SyncBuffersHook'),
    # Logs unreadable videos once, counts them per epoch and writes
    # work_dir/bad_videos.txt.
    bad_videos=dict(type='BadVideoHook'),
    # Each epoch starts a fresh gradient accumulation window and a
    # leftover partial one is discarded, as ViFi-CLIP zeroes the gradients
    # at each epoch start (main.py L133, L165-168).
    accumulation=dict(type='EpochAccumulationHook'),
    # Gives the head the class names of whichever dataset is running
    # (train: base names; val: base + novel, restored after; test: the
    # test set's). A default hook, not a custom one, so that a child
    # config's ``custom_hooks = [...]`` (an EMAHook, say) cannot drop it;
    # its ABOVE_NORMAL priority sets the names before any NORMAL hook and
    # restores the train names before the checkpoint hook (VERY_LOW).
    class_names=dict(type='ClassNamesHook'))

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    dist_cfg=dict(backend='nccl'))

log_processor = dict(type='LogProcessor', window_size=20, by_epoch=True)

# TensorBoard next to the local backend, whose vis_data/scalars.json
# tools/report_results.py reads: set TENSORBOARD=1 in the environment
# (needs the ``tensorboard`` extra), e.g.
#   TENSORBOARD=1 bash tools/dist_train.sh CONFIG 8
# mmengine substitutes environment variables when it reads this file;
# --cfg-options can replace a list entry but not append one, and
# ``visualizer.vis_backends.0.type=TensorboardVisBackend`` would replace
# the local backend.
vis_backends = [dict(type='LocalVisBackend')]
if '{{$TENSORBOARD:0}}' not in ('0', ''):
    vis_backends.append(dict(type='TensorboardVisBackend'))
visualizer = dict(type='ActionVisualizer', vis_backends=vis_backends)

log_level = 'INFO'
load_from = None
resume = False
# ViFi-CLIP's seed; mmengine adds the rank to it per process.
randomness = dict(seed=1024, diff_rank_seed=True, deterministic=False)
