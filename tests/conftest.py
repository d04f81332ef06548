"""Suite-wide fixtures. Area-specific fixtures live in each tests/<area>/conftest.py."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

from console.logging_setup import unregister_all_secrets
from console.secrets import ENV_VARS, use_in_memory_keyring

# CI explores the same examples on every run, so a red build always reproduces and never
# depends on luck; local runs draw new examples each time and keep hunting for bugs. CI has
# no deadline: a shared runner's slow second must not fail a test (speed is the benchmarks').
settings.register_profile("ci", derandomize=True, print_blob=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture
def anyio_backend():
    # Async tests of Qt-free code run on plain asyncio through anyio's pytest plugin
    # (mark them ``@pytest.mark.anyio``); Qt tests use the qasync loop of tests/support/qt.py.
    return "asyncio"


@pytest.fixture(autouse=True)
def in_memory_keyring():
    """Every test gets an empty in-memory keyring instead of the OS keyring."""
    with use_in_memory_keyring() as keyring_backend:
        yield keyring_backend


@pytest.fixture(autouse=True)
def isolated_environment(monkeypatch, tmp_path):
    """No secrets from the developer's shell; every file the console writes goes under tmp_path."""
    for name in ENV_VARS.values():
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELNYX_CONSOLE_HOME", str(tmp_path / "home"))
    yield
    unregister_all_secrets()
