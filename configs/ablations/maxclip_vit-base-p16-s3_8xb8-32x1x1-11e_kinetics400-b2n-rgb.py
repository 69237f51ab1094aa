# Pool position ablation, the 'after' side: s = 3 pooling after attention
# (the default position); Kinetics-400 base-to-novel. PAPER.md: base top-1
# 77.5 (before: 77.4).
_base_ = [
    '../b2n/kinetics400/'
    'maxclip_vit-base-p16-s1_8xb8-32x1x1-11e_kinetics400-b2n-rgb.py'
]

model = dict(backbone=dict(pool_layers=3, pool_position='after'))
