# ViFi-CLIP-max ViT-B/16 (baseline): no token pool, max-pooled frames; SSv2
# few-shot, K = 16 videos per class, 32 frames, 8 GPUs x 4 videos x 2
# accumulation steps = batch 64. Table 2 (K = 2 / 4 / 8 / 16): 7.1 / 8.5 /
# 10.0 / 14.5.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-50e_sthv2-fewshot-k16-rgb.py']

model = dict(cls_head=dict(pooling='max'))
