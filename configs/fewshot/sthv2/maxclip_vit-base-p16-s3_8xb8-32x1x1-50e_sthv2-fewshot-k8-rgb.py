# MaxCLIP ViT-B/16, s = 3; SSv2 few-shot with K = 8 videos per class.
_base_ = ['maxclip_vit-base-p16-s3_8xb8-32x1x1-50e_sthv2-fewshot-k16-rgb.py']

train_dataloader = dict(
    dataset=dict(ann_file=f'{_base_.split_root}/train1_few_shot_8.txt'))
