# ViFi-CLIP ViT-B/16 (baseline): no token pool, mean-pooled frames; SSv2
# few-shot, K = 16 videos per class, 32 frames, 8 GPUs x 4 videos x 2
# accumulation steps = batch 64. This folder's primitive: the other configs
# here add the paper's changes to it and set K. Table 2 (K = 2 / 4 / 8 / 16):
# 6.2 / 7.4 / 8.5 / 12.4.
_base_ = [
    '../../_base_/models/vificlip_vit-base-p16.py',
    '../../_base_/datasets/sthv2_fewshot.py',
    '../../_base_/schedules/adamw_50e_fewshot.py',
    '../../_base_/default_runtime.py',
]

model = dict(data_preprocessor=dict(blending=_base_.blending))
