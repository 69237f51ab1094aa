# MaxCLIP ViT-B/16, s = 1 (token max-pool after attention), max-pooled
# frames; HMDB51 base-to-novel, 32 frames, 8 GPUs x 4 videos x 2 accumulation
# steps = batch 64. Not in the paper (a ViFi-CLIP protocol dataset).
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-11e_hmdb51-b2n-rgb.py']

model = dict(backbone=dict(pool_layers=1), cls_head=dict(pooling='max'))
