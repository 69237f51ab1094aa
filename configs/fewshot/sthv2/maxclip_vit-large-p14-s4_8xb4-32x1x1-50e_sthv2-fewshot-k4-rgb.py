# MaxCLIP ViT-L/14, s = 4; SSv2 few-shot with K = 4 videos per class.
# PAPER.md Table 2 (K = 2 / 4 / 8 / 16): 9.8 / 11.6 / 13.8 / 18.1.
# ViT-L/14 with 4 videos per GPU x 2 accumulation steps: the same
# effective batch as the ViT-B/16 config on 8 GPUs.
_base_ = ['maxclip_vit-base-p16-s3_8xb8-32x1x1-50e_sthv2-fewshot-k16-rgb.py']

clip_arch = 'ViT-L-14'
model = dict(
    backbone=dict(clip_arch=clip_arch, pool_layers=4),
    cls_head=dict(clip_arch=clip_arch))
train_dataloader = dict(
    batch_size=4,
    dataset=dict(ann_file=f'{_base_.split_root}/train1_few_shot_4.txt'))
optim_wrapper = dict(accumulative_counts=2)
auto_scale_lr = dict(base_batch_size=32)
