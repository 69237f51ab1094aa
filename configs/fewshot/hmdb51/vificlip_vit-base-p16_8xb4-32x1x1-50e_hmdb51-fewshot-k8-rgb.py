# ViFi-CLIP ViT-B/16 (baseline): no token pool, mean-pooled frames;
# HMDB51 few-shot, K = 8 videos per class, 32 frames.
# Table 2 (K = 2 / 4 / 8 / 16): 57.2 / 62.7 / 64.5 / 66.8.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-50e_hmdb51-fewshot-k16-rgb.py']

train_dataloader = dict(
    dataset=dict(ann_file=f'{_base_.split_root}/train1_few_shot_8.txt'))
