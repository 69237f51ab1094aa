# MaxCLIP ViT-L/14, s = 4 (token max-pool after attention), max-pooled frames;
# SSv2 few-shot, K = 2 videos per class, 32 frames.
# Table 2 (K = 2 / 4 / 8 / 16): 9.8 / 11.6 / 13.8 / 18.1.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-50e_sthv2-fewshot-k16-rgb.py']

clip_arch = 'ViT-L-14'
model = dict(
    backbone=dict(clip_arch=clip_arch, pool_layers=4),
    cls_head=dict(clip_arch=clip_arch, pooling='max'))
train_dataloader = dict(
    dataset=dict(ann_file=f'{_base_.split_root}/train1_few_shot_2.txt'))
