import pytest
from reliability_utils import make_videos


@pytest.fixture
def video_root(tmp_path):
    """(video folder, good list lines); corrupt, empty and 2-frame files
    are present, ``missing.mp4`` is not."""
    root = str(tmp_path / 'videos')
    return root, make_videos(root)
