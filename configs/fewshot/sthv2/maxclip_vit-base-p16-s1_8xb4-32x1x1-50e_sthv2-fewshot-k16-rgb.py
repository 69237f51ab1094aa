# MaxCLIP ViT-B/16, s = 1 (token max-pool after attention), max-pooled frames;
# SSv2 few-shot, K = 16 (the dataset and K of Figure 2).
# Tables 7 and 9 (few-shot column), s sweep and pool position (after);
# paper number not transcribed in this repository yet.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-50e_sthv2-fewshot-k16-rgb.py']

model = dict(backbone=dict(pool_layers=1), cls_head=dict(pooling='max'))
