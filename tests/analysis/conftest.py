import importlib.util
import os.path as osp

import pytest

ROOT = osp.dirname(osp.dirname(osp.dirname(__file__)))


@pytest.fixture
def load_tool():
    """Import ``tools/analysis/<name>.py`` (not a package) as a module."""

    def load(name):
        path = osp.join(ROOT, 'tools', 'analysis', f'{name}.py')
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load
