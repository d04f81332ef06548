"""Suite-wide fixtures. Area-specific fixtures live in each tests/<area>/conftest.py."""

import pytest


@pytest.fixture
def anyio_backend():
    # Async tests of Qt-free code run on plain asyncio through anyio's pytest plugin
    # (mark them ``@pytest.mark.anyio``); Qt tests use the qasync loop of tests/ui.
    return "asyncio"
