"""Classify one video among any class names (zero-shot or fine-tuned).

Thin wrappers over MMAction2's ``init_recognizer`` and
``inference_recognizer``; the additions are swapping the head's class
names before inference and naming an unreadable video and why.
"""
import os.path as osp
from typing import List, Optional, Sequence, Tuple, Union

import decord
import torch
from mmaction.apis import inference_recognizer, init_recognizer
from mmaction.registry import MODELS
from mmengine.config import Config
from mmengine.registry import init_default_scope

from ..datasets.robust import describe_failure
from ..fileio import weights_only_checkpoints


def init_zero_shot_recognizer(config: Union[str, Config],
                              checkpoint: Optional[str] = None,
                              device: str = 'cpu') -> torch.nn.Module:
    """Build a recognizer from ``config``.

    With a checkpoint this is MMAction2's ``init_recognizer``. Without one
    the CLIP weights named by the config's ``pretrained`` are loaded (via
    ``init_weights``), which ``init_recognizer`` skips; that is the
    zero-shot case. The checkpoint is read weights-only (a pickled
    callable is refused naming the file).
    """
    if checkpoint is not None:
        with weights_only_checkpoints():
            return init_recognizer(config, checkpoint, device=device)
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    init_default_scope(cfg.get('default_scope', 'mmaction'))
    model = MODELS.build(cfg.model)
    model.init_weights()
    model.cfg = cfg
    return model.to(device).eval()


def rank_class_names(model: torch.nn.Module, video: str,
                     class_names: Union[str, Sequence[str]],
                     topk: Optional[int] = None) -> List[Tuple[str, float]]:
    """Score ``video`` against ``class_names`` (a list or a label file).

    Returns ``(name, probability)`` pairs, best first (``topk`` of them).
    """
    head = model.cls_head
    if not hasattr(head, 'set_class_names'):
        raise TypeError(f'{type(head).__name__} has a fixed class set; '
                        f'open-vocabulary ranking needs VideoTextHead')
    head.set_class_names(class_names)
    # mmaction's inference_recognizer says only "The type of argument
    # `video` is not supported" for a missing path, and decord's error does
    # not name the file or why it is unreadable.
    if not osp.isfile(video):
        raise FileNotFoundError(f'video not found: {video}')
    try:
        decord.VideoReader(video)
    except Exception as err:  # decord raises its own DECORDError
        raise RuntimeError(f'cannot read video {video}: '
                           f'{describe_failure(video, err)}') from None
    result = inference_recognizer(model, video)
    scores = result.pred_score.float().cpu()
    order = scores.argsort(descending=True)[:topk]
    return [(head.class_names[i], float(scores[i])) for i in order]
