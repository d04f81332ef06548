"""Fixtures for the tunnel tests: the fake ngrok agent, a clean pyngrok, no downloads ever."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from pyngrok import installer, ngrok, process

FAKE_AGENT = Path(__file__).with_name("fake_ngrok.py")


@pytest.fixture(autouse=True)
def clean_pyngrok(monkeypatch):
    """No real authtoken from the environment, no download, no agent left between tests."""
    monkeypatch.delenv("NGROK_AUTHTOKEN", raising=False)
    monkeypatch.delenv("NGROK_API_KEY", raising=False)
    monkeypatch.delenv("PYNGROK_NGROK_PATH", raising=False)
    downloads: list[str] = []

    def no_download(ngrok_path, *args, **kwargs):
        downloads.append(ngrok_path)
        raise AssertionError(f"pyngrok tried to download an agent to {ngrok_path}")

    monkeypatch.setattr(installer, "install_ngrok", no_download)
    yield downloads
    for path in list(process._current_processes):
        process.kill_process(path)
    ngrok._current_tunnels.clear()
    installer._config_cache.clear()


@pytest.fixture
def fake_state(tmp_path, monkeypatch) -> Path:
    """Where the fake agent records its starts (``starts.jsonl``)."""
    state = tmp_path / "fake-state"
    monkeypatch.setenv("FAKE_NGROK_STATE_DIR", str(state))
    return state


@pytest.fixture
def fake_agent(tmp_path, fake_state) -> str:
    """An executable named ``ngrok`` that runs the fake agent with this interpreter."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "ngrok"
    # exec keeps the PID: the PID pyngrok sees is the fake agent's own.
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE_AGENT}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(wrapper)


@pytest.fixture
def state_dir(tmp_path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path
