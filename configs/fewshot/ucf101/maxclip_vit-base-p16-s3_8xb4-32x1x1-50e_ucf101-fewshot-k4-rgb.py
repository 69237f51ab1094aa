# MaxCLIP ViT-B/16, s = 3 (token max-pool after attention), max-pooled frames;
# UCF101 few-shot, K = 4 videos per class, 32 frames.
# Table 2 (K = 2 / 4 / 8 / 16): 80.7 / 86.7 / 90.4 / 93.1.
_base_ = ['./vificlip_vit-base-p16_8xb4-32x1x1-50e_ucf101-fewshot-k16-rgb.py']

model = dict(backbone=dict(pool_layers=3), cls_head=dict(pooling='max'))
train_dataloader = dict(
    dataset=dict(ann_file=f'{_base_.split_root}/train1_few_shot_4.txt'))
