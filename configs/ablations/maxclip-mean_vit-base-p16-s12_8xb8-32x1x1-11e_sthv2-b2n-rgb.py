# s sweep with mean-pooled frame features: token max-pool in the last 12
# blocks (after attention), frame features averaged; SSv2 base-to-novel.
# PAPER.md ablations (base / novel): 16.84 / 12.77; the same run is Table
# 1's "mean features + token pool" row: 16.8 / 12.8 / 14.5.
_base_ = ['./maxclip-mean_vit-base-p16-s1_8xb8-32x1x1-11e_sthv2-b2n-rgb.py']

model = dict(backbone=dict(pool_layers=12))
