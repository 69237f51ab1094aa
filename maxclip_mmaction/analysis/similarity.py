"""Frame-to-frame cosine similarity of frame embeddings (the paper, Fig. 2).

For each video the backbone's frame embeddings ``(T', E)``, ``T' = T + s``
(the T input frames, then the s pooled frames), give a ``(T', T')`` matrix
of cosine similarities; the figure averages it over a validation set.
"""
from typing import Callable, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import Config


def frame_similarity(feats: torch.Tensor) -> torch.Tensor:
    """Cosine similarity between every pair of frames of each video.

    Args:
        feats (Tensor): frame embeddings ``(B, T', E)``.

    Returns:
        Tensor: ``(B, T', T')``, symmetric, ones on the diagonal.
    """
    if feats.ndim != 3:
        raise ValueError(f'frame_similarity takes (B, T\', E) frame '
                         f'embeddings, got shape {tuple(feats.shape)}')
    unit = F.normalize(feats.float(), dim=-1)
    sim = unit @ unit.transpose(1, 2)  # (B, T', E) x (B, E, T') -> (B, T', T')
    # Rounding leaves the diagonal a few ulps off 1 and the matrix slightly
    # asymmetric; both are exact by definition, so make them exact.
    sim = (sim + sim.transpose(1, 2)) / 2
    ones = sim.new_ones(sim.shape[:2])
    return sim.diagonal_scatter(ones, dim1=1, dim2=2)


def frame_labels(num_frames: int, pool_layers: int) -> List[str]:
    """Axis labels: ``'1'..'T'`` input frames, ``'p1'..'ps'`` pooled."""
    return ([str(t + 1) for t in range(num_frames)] +
            [f'p{k + 1}' for k in range(pool_layers)])


def load_frame_model(config: str,
                     checkpoint: Optional[str] = None,
                     device: str = 'cpu',
                     cfg_options: Optional[dict] = None) -> nn.Module:
    """Build a recognizer whose backbone returns frame embeddings.

    ``out_pool`` is forced to None so that the backbone returns
    ``(B, T + s, E)`` even for configs that pool in the backbone.

    Args:
        config (str): config file.
        checkpoint (str, optional): weights. None loads the CLIP weights
            the config's ``pretrained`` names (MMAction2's
            ``init_recognizer`` would drop them and keep a random init), or
            keeps a random init where it names none.
        device (str): torch device. Defaults to 'cpu'.
        cfg_options (dict, optional): overrides merged into the config.
    """
    from ..apis import init_zero_shot_recognizer
    cfg = Config.fromfile(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    backbone = cfg.model.get('backbone', {})
    if backbone.get('type') != 'MaxCLIPViT':
        raise ValueError(f'{config}: the similarity analysis needs a '
                         f'MaxCLIPViT backbone, got {backbone.get("type")!r}')
    backbone['out_pool'] = None
    return init_zero_shot_recognizer(cfg, checkpoint, device=device)


@torch.no_grad()
def average_similarity(
        model: nn.Module,
        loader,
        max_videos: Optional[int] = None,
        progress: Optional[Callable[[int], None]] = None
) -> Tuple[np.ndarray, int]:
    """Mean ``(T', T')`` frame-similarity matrix over a dataloader's videos.

    Every view of a multi-view test pipeline (clips x crops) counts as one
    sample of its video; the mean is over all views of the videos seen.
    A video ``RobustDecodeMixin`` could not read (``decode_failed``)
    carries another video's frames, which would enter the mean twice: it
    is skipped and counted.

    Args:
        model (nn.Module): a recognizer from :func:`load_frame_model`.
        loader (Iterable): yields MMAction2 data batches.
        max_videos (int, optional): stop after reading this many videos
            (skipped ones included).
        progress (callable, optional): called with the number of videos of
            each batch (e.g. ``ProgressBar.update``).

    Returns:
        tuple: the mean matrix (float64) and the number of skipped videos.
    """
    total, views, videos, skipped = None, 0, 0, 0
    for batch in loader:
        data = model.data_preprocessor(batch, training=False)
        inputs = data['inputs']  # (B, V, C, T, H, W)
        samples = data.get('data_samples') or [None] * len(inputs)
        if max_videos is not None:
            inputs = inputs[:max_videos - videos]
        keep = [i for i in range(len(inputs))
                if not _decode_failed(samples[i])]
        videos += len(inputs)
        skipped += len(inputs) - len(keep)
        if progress is not None:
            progress(len(inputs))
        if keep:
            # (B, V, C, T, H, W) -> (B*V, C, T, H, W)
            clips = inputs[keep].flatten(0, 1)
            sim = frame_similarity(model.backbone(clips))  # (B*V, T', T')
            batch_sum = sim.double().sum(dim=0).cpu()
            total = batch_sum if total is None else total + batch_sum
            views += sim.shape[0]
        if max_videos is not None and videos >= max_videos:
            break
    if views == 0:
        raise ValueError(f'the dataloader yielded no readable video '
                         f'({videos} read, {skipped} failed to decode)')
    return (total / views).numpy(), skipped


def _decode_failed(sample) -> bool:
    return sample is not None and bool(sample.get('decode_failed', False))


def adjacent_similarity(matrix: np.ndarray, num_frames: int) -> float:
    """Mean similarity of consecutive input frames (the figure's point)."""
    return float(np.diagonal(matrix, offset=1)[:num_frames - 1].mean())


def plot_similarity(matrices: Sequence[np.ndarray],
                    labels: Sequence[Sequence[str]],
                    titles: Sequence[str],
                    out_file: str,
                    vmin: Optional[float] = None,
                    dpi: int = 100) -> None:
    """Save side-by-side heatmaps (one panel per model) as an image.

    All panels share one colour scale so they compare directly; pooled
    frames (``p*`` labels) are set apart by a line and bold tick labels.

    Args:
        matrices: one ``(T', T')`` matrix per model.
        labels: frame labels per model (:func:`frame_labels`).
        titles: panel titles.
        out_file (str): output path (PNG, or any format matplotlib knows).
        vmin (float, optional): colour-scale minimum; None takes the
            smallest value of all panels.
        dpi (int): resolution. Defaults to 100.
    """
    import matplotlib
    matplotlib.use('Agg')  # files only, no display needed
    import matplotlib.pyplot as plt
    if not len(matrices) == len(labels) == len(titles):
        raise ValueError(f'{len(matrices)} matrices, {len(labels)} label '
                         f'lists and {len(titles)} titles must match')
    vmin = min(float(m.min()) for m in matrices) if vmin is None else vmin
    fig, axes = plt.subplots(
        1,
        len(matrices),
        squeeze=False,
        figsize=(3.6 * len(matrices) + 0.8, 3.6))
    for ax, mat, lab, title in zip(axes[0], matrices, labels, titles):
        image = ax.imshow(mat, vmin=vmin, vmax=1.0, cmap='viridis')
        _mark_axes(ax, lab)
        ax.set_title(title, fontsize=10)
    fig.colorbar(
        image, ax=axes[0].tolist(), shrink=0.8, label='cosine similarity')
    fig.savefig(out_file, dpi=dpi, bbox_inches='tight')
    plt.close(fig)


def _mark_axes(ax, labels: Sequence[str]) -> None:
    ticks = range(len(labels))
    ax.set_xticks(ticks, labels, fontsize=7, rotation=90)
    ax.set_yticks(ticks, labels, fontsize=7)
    pooled = [i for i, name in enumerate(labels) if name.startswith('p')]
    for tick in ax.get_xticklabels() + ax.get_yticklabels():
        if tick.get_text().startswith('p'):
            tick.set_fontweight('bold')
            tick.set_color('tab:red')
    if pooled:
        edge = pooled[0] - 0.5
        ax.axhline(edge, color='white', linewidth=1)
        ax.axvline(edge, color='white', linewidth=1)
