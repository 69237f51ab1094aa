# MaxCLIP ViT-B/16, s = 3 (token max-pool before the block), max-pooled frames;
# SSv2 few-shot, K = 16 (the dataset and K of Figure 2).
# Table 9 (few-shot column), pool position: before (after: the Table 2 s = 3
# config);
# paper number not transcribed in this repository yet.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-50e_sthv2-fewshot-k16-rgb.py']

model = dict(
    backbone=dict(pool_layers=3, pool_position='before'),
    cls_head=dict(pooling='max'))
