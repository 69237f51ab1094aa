"""open_clip's residual attention block with the paper's token max-pool."""
import torch
from open_clip.transformer import ResidualAttentionBlock


class TemporalMaxPoolBlock(ResidualAttentionBlock):
    """A ``ResidualAttentionBlock`` that appends one max-pooled frame.

    Input tokens are batch-first and frame-major within a video:
    ``(B*T', N, D)`` with the ``T'`` frames of one video adjacent. The block
    takes the element-wise max over those ``T'`` frames, token position by
    token position, and appends it as frame ``T'+1`` (the paper's first
    change, token max-pooling).
    ``T'`` is the input frame count plus the pooled frames earlier blocks
    added, fixed per block, so the block needs no extra forward argument
    and keeps open_clip's ``(q_x, k_x, v_x, attn_mask)`` signature, which
    open_clip's gradient checkpointing calls positionally.

    Args:
        frames_in (int): ``T'``, frames per video entering this block.
        position (str): ``'after'`` pools right after the attention residual
            add, before the MLP (the paper's default); ``'before'`` pools the
            block input, then runs the whole block on ``T'+1`` frames.
    """

    @classmethod
    def convert(cls, block: ResidualAttentionBlock, frames_in: int,
                position: str) -> 'TemporalMaxPoolBlock':
        """Turn an open_clip block into this class in place.

        Re-classing keeps the exact submodules, parameters and key names
        open_clip built (norm type, LayerScale, activation) without
        re-deriving its constructor arguments.
        """
        if type(block) is not ResidualAttentionBlock:
            raise TypeError(f'can only pool in open_clip ResidualAttention'
                            f'Block, got {type(block).__name__}')
        if position not in ('after', 'before'):
            raise ValueError(f"pool_position must be 'after' or 'before', "
                             f'got {position!r}')
        block.__class__ = cls
        block.frames_in = frames_in
        block.pool_after = position == 'after'
        return block

    def pool(self, x: torch.Tensor) -> torch.Tensor:
        # (B*T', N, D) -> (B, T', N, D)
        x = x.unflatten(0, (-1, self.frames_in))
        # (B, T', N, D) -> (B, T'+1, N, D): the max over frames, appended
        x = torch.cat([x, x.amax(dim=1, keepdim=True)], dim=1)
        return x.flatten(0, 1)  # -> (B*(T'+1), N, D)

    def forward(self, q_x, k_x=None, v_x=None, attn_mask=None):
        if not self.pool_after:
            return super().forward(self.pool(q_x), attn_mask=attn_mask)
        # Attention stays within each frame; pooling its output (not the
        # input) lets the new frame summarise what attention just mixed.
        x = q_x + self.ls_1(
            self.attention(self.ln_1(q_x), attn_mask=attn_mask))
        x = self.pool(x)
        return x + self.ls_2(self.mlp(self.ln_2(x)))

    def extra_repr(self) -> str:
        where = 'after' if self.pool_after else 'before'
        return f'frames_in={self.frames_in}, pool={where}'
