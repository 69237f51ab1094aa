# MaxCLIP ViT-B/16, s = 12 (token max-pool after attention), mean-pooled
# frames; SSv2 few-shot, K = 16 (the dataset and K of Figure 2). Table 4
# (few-shot column), mean features + token pool; paper number not transcribed
# in this repository yet.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-50e_sthv2-fewshot-k16-rgb.py']

model = dict(backbone=dict(pool_layers=12))
