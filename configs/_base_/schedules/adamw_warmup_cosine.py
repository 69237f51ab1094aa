# ViFi-CLIP's optimisation, shared by every setting (utils/optimizer.py
# L42-61, utils/config.py L52-60): AdamW, betas (0.9, 0.98), eps 1e-8,
# weight decay 0.001 on all parameters; a per-iteration cosine to lr / 100
# over the whole run with a linear warmup from 0 over its first 5 epochs.
# Each adamw_*.py here sets the lr, epochs and accumulation of a setting;
# effective batch = GPUs x per-GPU batch x accumulative_counts, which
# tools/train.py compares with ``effective_batch_size`` before training
# (it names the --cfg-options that keep it). ``--auto-scale-lr`` instead
# rescales the lr (mmengine compares GPUs x per-GPU batch with
# ``base_batch_size``, 8 x 4, and ignores accumulation).
#
# Mixed precision: bf16 autocast (mmengine's AmpOptimWrapper). ViFi-CLIP
# trains with apex O1, which is fp16 autocast with dynamic loss scaling;
# bf16 needs no loss scaling but runs at full speed only on Ampere or newer
# GPUs (A100, H100, RTX 30xx+): older torch refuses it on V100 / T4 /
# RTX 20xx and newer torch emulates it slowly. fp16 as apex O1 (the
# wrapper's default loss_scale='dynamic' is a GradScaler):
#   --cfg-options optim_wrapper.dtype=float16
# For fp32 use a child config with ``optim_wrapper = dict(_delete_=True,
# type='OptimWrapper', optimizer=...)``; ``--cfg-options
# optim_wrapper.type=OptimWrapper`` alone fails, as OptimWrapper takes no
# ``dtype``.
warmup_epochs = 5

train_cfg = dict(type='EpochBasedTrainLoop', val_begin=1, val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    type='AmpOptimWrapper',
    dtype='bfloat16',
    optimizer=dict(
        type='AdamW', betas=(0.9, 0.98), eps=1e-8, weight_decay=0.001))

# ViFi-CLIP's timm CosineLRScheduler (warmup_prefix=False): one cosine
# over all iterations, the linear warmup from 0 inside it. After the
# warmup the lr drops to the cosine's value at that step; it does not
# restart the cosine at the full lr (see WarmupCosineLR for why mmengine's
# LinearLR + CosineAnnealingLR cannot express this). ``end`` is left to
# the runner (the train loop's length); each setting gives recipe_length.
param_scheduler = [
    dict(
        type='WarmupCosineLR',
        warmup=warmup_epochs,
        eta_min_ratio=0.01,
        by_epoch=True,
        begin=0,
        convert_to_iter_based=True)
]

auto_scale_lr = dict(enable=False, base_batch_size=32)
