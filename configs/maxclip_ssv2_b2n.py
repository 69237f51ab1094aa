# Headline config: MaxCLIP ViT-B/16, s = 1, SSv2 base-to-novel, 8 GPUs;
# the same as configs/b2n/sthv2/
# maxclip_vit-base-p16-s1_8xb4-32x1x1-11e_sthv2-b2n-rgb.py.
# Seed split 1 by default; seed 2 (seed 3 alike) trains into
# work_dirs/maxclip_ssv2_b2n_s2:
#   SEED_SPLIT=2 bash tools/dist_train.sh configs/maxclip_ssv2_b2n.py 8
_base_ = ['b2n/sthv2/vificlip_vit-base-p16_8xb4-32x1x1-11e_sthv2-b2n-rgb.py']

model = dict(backbone=dict(pool_layers=1), cls_head=dict(pooling='max'))
