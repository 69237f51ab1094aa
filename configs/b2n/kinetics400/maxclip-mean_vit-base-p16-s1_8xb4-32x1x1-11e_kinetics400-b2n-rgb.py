# MaxCLIP ViT-B/16, s = 1 (token max-pool after attention), mean-pooled frames;
# Kinetics-400 base-to-novel. Not in the paper (Table 1's "mean
# features + token pool" row is s = 12).
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_kinetics400-b2n-rgb.py']

model = dict(backbone=dict(pool_layers=1))
