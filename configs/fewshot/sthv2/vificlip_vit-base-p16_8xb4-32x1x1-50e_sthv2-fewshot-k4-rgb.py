# ViFi-CLIP ViT-B/16 (baseline): no token pool, mean-pooled frames;
# SSv2 few-shot, K = 4 videos per class, 32 frames.
# Table 2 (K = 2 / 4 / 8 / 16): 6.2 / 7.4 / 8.5 / 12.4.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-50e_sthv2-fewshot-k16-rgb.py']

train_dataloader = dict(
    dataset=dict(ann_file=f'{_base_.split_root}/train1_few_shot_4.txt'))
