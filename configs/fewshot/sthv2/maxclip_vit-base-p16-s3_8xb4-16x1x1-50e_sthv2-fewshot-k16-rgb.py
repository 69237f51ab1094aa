# MaxCLIP ViT-B/16, s = 3 (token max-pool after attention), max-pooled frames;
# SSv2 few-shot, K = 16 (the dataset and K of Figure 2).
# Table 11 (few-shot column), 16 frames (32: the Table 2 s = 3 config);
# paper number not transcribed in this repository yet.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-50e_sthv2-fewshot-k16-rgb.py']

model = dict(
    backbone=dict(num_frames=16, pool_layers=3), cls_head=dict(pooling='max'))
train_dataloader = dict(dataset=dict(pipeline=_base_.train_pipeline_16f))
val_dataloader = dict(dataset=dict(pipeline=_base_.val_pipeline_16f))
test_dataloader = val_dataloader
