# s sweep: s = 3 (after); SSv2 base-to-novel. PAPER.md: 18.0 / 12.6 / 14.8.
_base_ = [
    '../b2n/sthv2/'
    'maxclip_vit-base-p16-s1_8xb8-32x1x1-11e_sthv2-b2n-rgb.py'
]

model = dict(backbone=dict(pool_layers=3))
