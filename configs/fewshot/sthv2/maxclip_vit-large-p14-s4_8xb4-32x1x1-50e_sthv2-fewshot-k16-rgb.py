# MaxCLIP ViT-L/14, s = 4 (token max-pool after attention), max-pooled
# frames; SSv2 few-shot, K = 16 videos per class, 32 frames, 8 GPUs x 4
# videos x 2 accumulation steps = batch 64. Table 2 (K = 2 / 4 / 8 / 16): 9.8
# / 11.6 / 13.8 / 18.1.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-50e_sthv2-fewshot-k16-rgb.py']

clip_arch = 'ViT-L-14'
model = dict(
    backbone=dict(clip_arch=clip_arch, pool_layers=4),
    cls_head=dict(clip_arch=clip_arch, pooling='max'))
