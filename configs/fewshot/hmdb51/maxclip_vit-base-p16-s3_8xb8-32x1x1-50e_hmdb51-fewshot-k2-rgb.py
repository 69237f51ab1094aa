# MaxCLIP ViT-B/16, s = 3; HMDB51 few-shot with K = 2 videos per class.
_base_ = ['maxclip_vit-base-p16-s3_8xb8-32x1x1-50e_hmdb51-fewshot-k16-rgb.py']

train_dataloader = dict(
    dataset=dict(ann_file=f'{_base_.split_root}/train1_few_shot_2.txt'))
