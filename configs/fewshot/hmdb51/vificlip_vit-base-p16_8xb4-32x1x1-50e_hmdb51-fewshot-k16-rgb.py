# ViFi-CLIP ViT-B/16 (baseline): no token pool, mean-pooled frames; HMDB51
# few-shot, K = 16 videos per class, 32 frames, 8 GPUs x 4 videos x 2
# accumulation steps = batch 64. This folder's primitive: the other configs
# here add the paper's changes to it and set K. Table 2 (K = 2 / 4 / 8 / 16):
# 57.2 / 62.7 / 64.5 / 66.8.
_base_ = [
    '../../_base_/models/vificlip_vit-base-p16.py',
    '../../_base_/datasets/hmdb51_fewshot.py',
    '../../_base_/schedules/adamw_50e_fewshot.py',
    '../../_base_/default_runtime.py',
]

model = dict(data_preprocessor=dict(blending=_base_.blending))
