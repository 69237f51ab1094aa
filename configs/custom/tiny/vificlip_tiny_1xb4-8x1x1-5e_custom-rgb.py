# A tiny ViFi-CLIP (random init, 8 frames of 32 px) on your own videos,
# for a first run on a CPU (docs/custom_data.md): it checks the data, the
# lists and the commands end to end; its accuracy says little about the
# B/16 models (configs/custom/).
# This folder's primitive: the MaxCLIP config here adds the paper's changes.
_base_ = [
    '../../_base_/models/vificlip_tiny.py',
    '../../_base_/datasets/custom.py',
    '../../_base_/schedules/adamw_tiny_scratch.py',
    '../../_base_/default_runtime.py',
]

loader = dict(batch_size=4, num_workers=2, persistent_workers=False)
train_dataloader = dict(
    **loader, dataset=dict(pipeline=_base_.tiny_train_pipeline))
val_dataloader = dict(
    **loader, dataset=dict(pipeline=_base_.tiny_val_pipeline))
test_dataloader = val_dataloader

max_epochs = 5
train_cfg = dict(max_epochs=max_epochs)
param_scheduler = [dict(_base_.param_scheduler[0], recipe_length=max_epochs)]
effective_batch_size = 4
auto_scale_lr = dict(enable=False, base_batch_size=4)
default_hooks = dict(checkpoint=dict(max_keep_ckpts=1))
