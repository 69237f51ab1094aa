# Pool position ablation: s = 3 pooling the block input ('before') instead
# of after attention; SSv2 base-to-novel. PAPER.md: base top-1
# 17.8 (after: 18.0).
_base_ = [
    '../b2n/sthv2/'
    'maxclip_vit-base-p16-s1_8xb8-32x1x1-11e_sthv2-b2n-rgb.py'
]

model = dict(backbone=dict(pool_layers=3, pool_position='before'))
