"""Test helpers: ViFi-CLIP checkpoints in its exact layout, built from a
tiny open_clip CLIP; tiny recognizers of this package and the checkpoints
mmengine's Runner saves of them.

The layout follows ViFi-CLIP (commit e2d1948): ``ViFiCLIP`` holds
``prompt_learner`` (buffer ``complete_text_embeddings``, the token
embeddings of ``'a photo of a {name}.'``), ``image_encoder`` (CLIP's
``visual``), ``text_encoder`` (CLIP's ``transformer``,
``positional_embedding``, ``ln_final``, ``text_projection``) and
``logit_scale`` (trainers/vificlip.py L38-45, L117-126, L164-171);
``epoch_saving`` stores the DDP wrapper's state dict (``module.`` keys)
with the optimizer, the timm scheduler, the accuracy, the epoch and the
yacs config (utils/tools.py L46-56, main.py L78).
"""
import copy

import open_clip
import torch
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.logging import HistoryBuffer

from maxclip_mmaction.testing import tiny_clip_cfg

NAMES = ['waving', 'clapping', 'running']


class FakeCfgNode(dict):
    """Pickles as yacs 0.1.8's ``CfgNode`` does: a dict subclass whose
    four attributes live in ``__dict__`` (yacs/config.py, ``__init__``)."""

    def __init__(self, init=None):
        super().__init__(init or {})
        self.__dict__['__immutable__'] = True
        self.__dict__['__deprecated_keys__'] = set()
        self.__dict__['__renamed_keys__'] = {}
        self.__dict__['__new_allowed__'] = False


def vificlip_config(node=FakeCfgNode, arch='ViT-B/16'):
    """A few entries of ViFi-CLIP's config (utils/config.py)."""
    return node(dict(
        MODEL=node(dict(ARCH=arch, RESUME=None)),
        DATA=node(dict(NUM_FRAMES=4, DATASET='kinetics400',
                       LABEL_LIST='labels/kinetics_400_labels.csv')),
        TRAINER=node(dict(ViFi_CLIP=node(dict(
            CTX_INIT='a photo of a', PROMPT_MODEL=False, USE='both')))),
        BASE=['']))


def vificlip_state(clip, names=NAMES, prefix='module.'):
    """A ViFi-CLIP model state dict holding ``clip``'s weights."""
    tokens = open_clip.tokenize([f'a photo of a {n}.' for n in names],
                                context_length=clip.context_length)
    with torch.no_grad():  # fp16, as ViFi-CLIP embeds (vificlip.py L124)
        prompts = clip.token_embedding(tokens).half().float()
    state = {'prompt_learner.complete_text_embeddings': prompts}
    for key, value in clip.state_dict().items():
        if key.startswith('visual.'):
            state['image_encoder.' + key[len('visual.'):]] = value
        elif key == 'logit_scale':
            state[key] = value
        elif key != 'token_embedding.weight' and key != 'attn_mask':
            state['text_encoder.' + key] = value
    return {prefix + k: v.clone() for k, v in state.items()}


def epoch_saving(model_state, config):
    """What ViFi-CLIP's ``epoch_saving`` writes (utils/tools.py L47-52)."""
    param = torch.nn.Parameter(torch.ones(3))
    optim = torch.optim.AdamW([param], lr=2e-6, betas=(0.9, 0.98))
    param.sum().backward()
    optim.step()
    scheduler = dict(  # timm CosineLRScheduler.state_dict(): plain values
        t_initial=1100, lr_min=2e-8, warmup_t=55, warmup_lr_init=0,
        t_in_epochs=False, base_values=[2e-6], noise_range_t=None,
        cycle_limit=1, param_group_field='lr')
    return dict(model=model_state, optimizer=optim.state_dict(),
                lr_scheduler=scheduler, max_accuracy=76.4, epoch=10,
                config=config)


def fine_tuned(clip, seed=1):
    """``clip`` with every weight but the token embedding moved, as
    ViFi-CLIP's fine-tuning leaves it."""
    tuned = copy.deepcopy(clip)
    gen = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in tuned.named_parameters():
            if name != 'token_embedding.weight':
                p.add_(torch.randn(p.shape, generator=gen) * 0.05)
    return tuned.eval()


def tiny_model_cfg(clip_cfg, pool_layers=0, pooling='mean', num_frames=4,
                   **extra):
    """A tiny recognizer of this package (ViFi-CLIP when s = 0, mean)."""
    return dict(
        **extra,
        type='Recognizer3D',
        backbone=dict(type='MaxCLIPViT', clip_arch=clip_cfg,
                      pretrained=None, num_frames=num_frames,
                      pool_layers=pool_layers),
        cls_head=dict(type='VideoTextHead', clip_arch=clip_cfg,
                      pretrained=None, templates=('a photo of a {}.', ),
                      pooling=pooling, average_clips='prob'))


def write_config(path, model_cfg) -> str:
    """An MMAction2 config file holding ``model_cfg``."""
    path.write_text(f'default_scope = "mmaction"\nmodel = {model_cfg!r}\n')
    return str(path)


def recognizer(seed=0):
    torch.manual_seed(seed)
    model = MODELS.build(tiny_model_cfg(tiny_clip_cfg(), pool_layers=1,
                                        pooling='max'))
    model.cls_head.set_class_names(NAMES)
    return model


def runner_checkpoint(model, path, epoch=3, cfg=None):
    """What mmengine's Runner saves, message hub and config text included
    (``cfg``: the config dict whose ``pretty_text`` goes to the meta)."""
    buf = HistoryBuffer()
    buf.update(0.5)
    meta = dict(epoch=epoch, seed=0)
    if cfg is not None:
        meta['cfg'] = Config(cfg).pretty_text
    torch.save(dict(meta=meta, state_dict=model.state_dict(),
                    message_hub=dict(log_scalars={'train/loss': buf}),
                    optimizer=dict(state={}, param_groups=[])), path)
    return str(path)
