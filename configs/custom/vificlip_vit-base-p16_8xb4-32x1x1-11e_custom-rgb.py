# ViFi-CLIP ViT-B/16 (baseline) on your own videos, a plain closed-set
# dataset (configs/_base_/datasets/custom.py; docs/custom_data.md): the
# base-to-novel recipe (AdamW lr 2e-6, 11 epochs, batch 64 = 8 GPUs x 4
# videos x 2 accumulation steps), validated after every epoch, the best
# top-1 checkpoint kept. On 1 GPU keep batch 64 with
# --cfg-options optim_wrapper.accumulative_counts=16.
# This folder's primitive: the MaxCLIP config here adds the paper's changes.
_base_ = [
    '../_base_/models/vificlip_vit-base-p16.py',
    '../_base_/datasets/custom.py',
    '../_base_/schedules/adamw_11e_b2n.py',
    '../_base_/default_runtime.py',
]

model = dict(data_preprocessor=dict(blending=_base_.blending))
train_cfg = dict(val_begin=1, val_interval=1)
