# ViFi-CLIP base-to-novel recipe (PROTOCOLS.md): AdamW lr 2e-6, betas
# (0.9, 0.98), eps 1e-8, weight decay 0.001 on all parameters; 11 epochs;
# 5 linear warmup epochs, then cosine to lr / 100, stepped per iteration;
# effective batch 64 = GPUs x per-GPU batch x accumulative_counts.
#
# Effective batch on fewer GPUs: the configs assume 8 GPUs (8 x 8 x 1).
# On 4 GPUs keep 64 with ``--cfg-options optim_wrapper.accumulative_counts=2``
# (same recipe), or rescale the lr linearly with ``--auto-scale-lr``
# (mmengine compares GPUs x per-GPU batch with ``base_batch_size`` and
# ignores accumulative_counts).
#
# Mixed precision: bf16 autocast like the paper's apex O1. For fp32 use a
# child config with ``optim_wrapper = dict(_delete_=True,
# type='OptimWrapper', optimizer=...)``; ``--cfg-options
# optim_wrapper.type=OptimWrapper`` alone fails, as OptimWrapper takes no
# ``dtype``.
max_epochs = 11
warmup_epochs = 5

# b2n validation sets are the test sets: evaluate only the final
# checkpoint (no best-checkpoint selection on them).
train_cfg = dict(
    type='EpochBasedTrainLoop',
    max_epochs=max_epochs,
    val_begin=max_epochs,
    val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    type='AmpOptimWrapper',
    dtype='bfloat16',
    optimizer=dict(
        type='AdamW', lr=2e-6, betas=(0.9, 0.98), eps=1e-8,
        weight_decay=0.001),
    accumulative_counts=1)

# LinearLR is multiplicative, so it cannot start from exactly 0.
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
        by_epoch=True,
        begin=0,
        end=warmup_epochs,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        eta_min_ratio=0.01,
        by_epoch=True,
        begin=warmup_epochs,
        end=max_epochs,
        convert_to_iter_based=True)
]

auto_scale_lr = dict(enable=False, base_batch_size=64)
