import logging
import uuid

import pytest
from mmengine.logging import MMLogger


@pytest.fixture
def mm_log():
    """Messages logged to ``MMLogger.get_current_instance()``.

    A logger created under a fresh name becomes the current instance, and
    MMLogger does not propagate to the root logger, so ``caplog`` misses it.
    """
    messages = []

    class Collect(logging.Handler):

        def emit(self, record):
            messages.append(f'{record.levelname}: {record.getMessage()}')

    logger = MMLogger.get_instance(f'test-{uuid.uuid4().hex}')
    assert MMLogger.get_current_instance() is logger
    handler = Collect()
    logger.addHandler(handler)
    yield messages
    logger.removeHandler(handler)
