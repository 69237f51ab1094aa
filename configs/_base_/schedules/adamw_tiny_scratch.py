# Tiny CLIPs trained from random weights (SynthMotion, a first run on your
# own videos): a far higher lr than fine-tuning CLIP's 2e-6 (on SynthMotion
# 1e-3 already collapses to uniform scores; 5e-4 learns), fp32 as a CPU
# runs it, gradients clipped. One warmup epoch from lr / 10, then a cosine
# to lr / 100 that ends with the train loop (warmup_prefix: the cosine
# starts after the warmup). Each config sets max_epochs and gives it as
# the scheduler's recipe_length.
train_cfg = dict(type='EpochBasedTrainLoop', val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    optimizer=dict(
        type='AdamW', lr=5e-4, betas=(0.9, 0.98), eps=1e-8,
        weight_decay=0.001),
    clip_grad=dict(max_norm=1.0, norm_type=2))
param_scheduler = [
    dict(
        type='WarmupCosineLR',
        warmup=1,
        warmup_prefix=True,
        warmup_start_ratio=0.1,
        eta_min_ratio=0.01,
        by_epoch=True,
        begin=0,
        convert_to_iter_based=True)
]
