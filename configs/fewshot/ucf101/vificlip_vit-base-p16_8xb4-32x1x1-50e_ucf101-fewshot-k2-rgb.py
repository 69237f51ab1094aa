# ViFi-CLIP ViT-B/16 (baseline): no token pool, mean-pooled frames;
# UCF101 few-shot, K = 2 videos per class, 32 frames.
# Table 2 (K = 2 / 4 / 8 / 16): 80.7 / 85.1 / 90.0 / 92.7.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-50e_ucf101-fewshot-k16-rgb.py']

train_dataloader = dict(
    dataset=dict(ann_file=f'{_base_.split_root}/train1_few_shot_2.txt'))
