# s sweep: s = 6 (after); SSv2 base-to-novel. PAPER.md: 17.7 / 12.8 / 14.9.
_base_ = [
    '../b2n/sthv2/'
    'maxclip_vit-base-p16-s1_8xb8-32x1x1-11e_sthv2-b2n-rgb.py'
]

model = dict(backbone=dict(pool_layers=6))
