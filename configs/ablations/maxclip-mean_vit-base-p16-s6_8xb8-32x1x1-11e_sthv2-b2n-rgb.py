# s sweep with mean-pooled frame features: token max-pool in the last 6
# blocks (after attention), frame features averaged; SSv2 base-to-novel.
# PAPER.md ablations (base / novel): 16.59 / 12.48.
_base_ = ['./maxclip-mean_vit-base-p16-s1_8xb8-32x1x1-11e_sthv2-b2n-rgb.py']

model = dict(backbone=dict(pool_layers=6))
