# MaxCLIP ViT-B/16, s = 1 (token max-pool after attention), max-pooled frames;
# Kinetics-400 base-to-novel, 16 instead of 32 frames. Table 11
# (base top-1): 76.8 (32 frames: 77.6).
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_kinetics400-b2n-rgb.py']

model = dict(
    backbone=dict(num_frames=16, pool_layers=1), cls_head=dict(pooling='max'))
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline_16f))
val_dataloader = dict(dataset=dict(pipeline=_base_.val_pipeline_16f))
test_dataloader = val_dataloader
