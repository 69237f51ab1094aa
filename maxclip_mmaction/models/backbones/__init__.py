from .maxclip_vit import MaxCLIPViT
from .temporal_pool_block import TemporalMaxPoolBlock

__all__ = ['MaxCLIPViT', 'TemporalMaxPoolBlock']
