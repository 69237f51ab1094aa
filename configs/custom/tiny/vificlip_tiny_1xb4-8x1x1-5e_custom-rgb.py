# A tiny ViFi-CLIP (random init, 8 frames of 32 px) on your own videos,
# for a first run on a CPU (docs/custom_data.md): it checks the data, the
# lists and the commands end to end; its accuracy says little about the
# B/16 models (configs/custom/).
# This folder's primitive: the MaxCLIP config here adds the paper's changes.
_base_ = [
    '../../_base_/models/vificlip_tiny.py',
    '../../_base_/datasets/custom.py',
    '../../_base_/default_runtime.py',
]

loader = dict(batch_size=4, num_workers=2, persistent_workers=False)
train_dataloader = dict(
    **loader, dataset=dict(pipeline=_base_.tiny_train_pipeline))
val_dataloader = dict(
    **loader, dataset=dict(pipeline=_base_.tiny_val_pipeline))
test_dataloader = val_dataloader

max_epochs = 5
train_cfg = dict(
    type='EpochBasedTrainLoop',
    max_epochs=max_epochs,
    val_begin=1,
    val_interval=1)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')

# Random init learns at a far higher lr than fine-tuning CLIP (2e-6); fp32,
# as a CPU runs it. The cosine spans the whole run, 1 warmup epoch inside.
optim_wrapper = dict(
    optimizer=dict(
        type='AdamW', lr=5e-4, betas=(0.9, 0.98), eps=1e-8,
        weight_decay=0.001),
    clip_grad=dict(max_norm=1.0, norm_type=2))
param_scheduler = [
    dict(
        type='WarmupCosineLR',
        warmup=1,
        eta_min_ratio=0.01,
        by_epoch=True,
        begin=0,
        recipe_length=max_epochs,
        convert_to_iter_based=True)
]
effective_batch_size = 4
auto_scale_lr = dict(enable=False, base_batch_size=4)
default_hooks = dict(checkpoint=dict(max_keep_ckpts=1))
