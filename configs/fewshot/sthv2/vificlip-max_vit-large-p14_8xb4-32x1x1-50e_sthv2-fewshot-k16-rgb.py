# ViFi-CLIP-max ViT-L/14 (baseline): no token pool, max-pooled frames;
# SSv2 few-shot, K = 16 (the dataset and K of Figure 2).
# Table 13 (few-shot column), ViT-L/14 max;
# paper number not transcribed in this repository yet.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-50e_sthv2-fewshot-k16-rgb.py']

clip_arch = 'ViT-L-14'
model = dict(
    backbone=dict(clip_arch=clip_arch),
    cls_head=dict(clip_arch=clip_arch, pooling='max'))
