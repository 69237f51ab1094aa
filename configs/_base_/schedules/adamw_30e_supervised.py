# ViFi-CLIP's fully supervised K-400 recipe
# (configs/fully_supervised/k400/16_16_vifi_clip.yaml, utils/config.py):
# AdamW lr 2.2e-5, betas (0.9, 0.98), eps 1e-8, weight decay 0.001; 30
# epochs; per-iteration cosine to lr / 100 over all 30 epochs, with a linear
# warmup from 0 over the first 5 inside it; effective batch 512 = 8 GPUs x 4
# per GPU x 16 accumulation steps. On 4 GPUs keep 512 with ``--cfg-options
# optim_wrapper.accumulative_counts=32``; ``--auto-scale-lr`` instead
# rescales the lr (base_batch_size counts GPUs x per-GPU batch, mmengine
# ignores accumulation).
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
max_epochs = 30
warmup_epochs = 5

# K-400 has no separate test set: validate every 5 epochs to watch
# training, and report the final checkpoint.
train_cfg = dict(
    type='EpochBasedTrainLoop',
    max_epochs=max_epochs,
    val_begin=1,
    val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

optim_wrapper = dict(
    type='AmpOptimWrapper',
    dtype='bfloat16',
    optimizer=dict(
        type='AdamW',
        lr=2.2e-5,
        betas=(0.9, 0.98),
        eps=1e-8,
        weight_decay=0.001),
    accumulative_counts=16)

# ViFi-CLIP's timm CosineLRScheduler (warmup_prefix=False): one cosine
# over all iterations, the linear warmup from 0 inside it. After the
# warmup the lr drops to the cosine's value at that step; it does not
# restart the cosine at the full lr (see WarmupCosineLR for why mmengine's
# LinearLR + CosineAnnealingLR cannot express this).
param_scheduler = [
    dict(
        type='WarmupCosineLR',
        warmup=warmup_epochs,
        eta_min_ratio=0.01,
        by_epoch=True,
        begin=0,
        end=max_epochs,
        convert_to_iter_based=True)
]

# The recipe's batch: tools/train.py warns (naming the --cfg-options that
# keep it) when GPUs x per-GPU batch x accumulative_counts differs.
effective_batch_size = 512

auto_scale_lr = dict(enable=False, base_batch_size=32)
