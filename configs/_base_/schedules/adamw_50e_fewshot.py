# ViFi-CLIP's few-shot recipe (configs/few_shot/finetuning_few_shot/*): as
# base-to-novel (AdamW lr 2e-6, betas (0.9, 0.98), eps 1e-8, weight decay
# 0.001; per-iteration cosine to lr / 100 over all epochs with a linear
# warmup from 0 over the first 5 inside it; effective batch 64 = 8 GPUs x 4 x
# 2 accumulation steps) but 50 epochs. On 4 GPUs keep the batch with
# ``--cfg-options optim_wrapper.accumulative_counts=4`` (see
# adamw_11e_b2n.py).
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
max_epochs = 50
warmup_epochs = 5

# The few-shot test sets double as validation: evaluate only the final
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
    accumulative_counts=2)

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
effective_batch_size = 64

auto_scale_lr = dict(enable=False, base_batch_size=32)
