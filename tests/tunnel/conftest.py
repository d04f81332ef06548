"""Fixtures for the tunnel tests: the fake ngrok agent, a clean pyngrok, no downloads ever."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tunnel.helpers import isolated_pyngrok, write_fake_agent


@pytest.fixture(autouse=True)
def clean_pyngrok(monkeypatch):
    """No real authtoken from the environment, no download, no agent left between tests."""
    with isolated_pyngrok(monkeypatch) as downloads:
        yield downloads


@pytest.fixture
def fake_state(tmp_path, monkeypatch) -> Path:
    """Where the fake agent records its starts (``starts.jsonl``)."""
    state = tmp_path / "fake-state"
    monkeypatch.setenv("FAKE_NGROK_STATE_DIR", str(state))
    return state


@pytest.fixture
def fake_agent(tmp_path, fake_state) -> str:
    """An executable named ``ngrok`` that runs the fake agent with this interpreter."""
    return write_fake_agent(tmp_path / "bin")


@pytest.fixture
def state_dir(tmp_path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path
