"""Fixtures for operation tests: a demo-mode ConsoleSession (simulator + receiver + store)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from tests.operations.helpers import make_session


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TELNYX_CONSOLE_HOME", str(tmp_path))
    return tmp_path


@pytest.fixture
def session_factory(home: Path) -> Callable[..., Any]:
    return lambda **kw: make_session(home, **kw)


@pytest.fixture
async def console(home: Path) -> AsyncIterator[Any]:
    async with make_session(home) as session:
        yield session
