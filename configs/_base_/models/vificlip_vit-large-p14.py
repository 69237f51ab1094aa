# ViFi-CLIP ViT-L/14: the ViT-B/16 baseline with CLIP ViT-L/14 towers.
_base_ = ['./vificlip_vit-base-p16.py']

clip_arch = 'ViT-L-14'
model = dict(
    backbone=dict(clip_arch=clip_arch), cls_head=dict(clip_arch=clip_arch))
