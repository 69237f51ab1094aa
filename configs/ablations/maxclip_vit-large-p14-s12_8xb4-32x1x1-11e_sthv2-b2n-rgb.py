# ViT-L/14 s sweep: s = 12; SSv2 base-to-novel. PAPER.md: 23.0 / 16.2 / 19.0.
# ViT-L/14 with 4 videos per GPU x 2 accumulation steps: the same
# effective batch as the ViT-B/16 config on 8 GPUs.
_base_ = [
    '../b2n/sthv2/'
    'maxclip_vit-base-p16-s1_8xb8-32x1x1-11e_sthv2-b2n-rgb.py'
]

clip_arch = 'ViT-L-14'
model = dict(
    backbone=dict(clip_arch=clip_arch, pool_layers=12),
    cls_head=dict(clip_arch=clip_arch))
train_dataloader = dict(batch_size=4)
optim_wrapper = dict(accumulative_counts=2)
auto_scale_lr = dict(base_batch_size=32)
