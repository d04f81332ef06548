"""Which ngrok agent runs: the configured path, the one shipped beside a frozen build, PATH."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from console.tunnel import AgentNotFoundError, NgrokTunnel, TunnelState, resolve_agent_path
from console.tunnel.ngrok_agent_path import bundled_agent_path
from tests.tunnel.helpers import FAKE_AGENT

REAL_PYTHON = sys.executable  # before any test pretends to be a frozen build


def executable(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


@pytest.fixture
def bundle(tmp_path, monkeypatch) -> Path:
    """A frozen build in ``bundle/``: ``sys.frozen`` set, ``sys.executable`` inside it."""
    folder = tmp_path / "bundle"
    console_exe = executable(folder / "telnyx-console")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(console_exe))
    return folder


@pytest.fixture
def agent_on_path(tmp_path, monkeypatch) -> Path:
    agent = executable(tmp_path / "on-path" / "ngrok")
    monkeypatch.setenv("PATH", str(agent.parent))
    return agent


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX executable names")
def test_frozen_build_runs_the_agent_shipped_beside_it(bundle, agent_on_path):
    shipped = executable(bundle / "ngrok")
    assert bundled_agent_path() == shipped.resolve()
    assert resolve_agent_path("") == str(shipped.resolve())


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX executable names")
def test_configured_path_still_wins_in_a_frozen_build(bundle, agent_on_path, tmp_path):
    executable(bundle / "ngrok")
    configured = executable(tmp_path / "mine" / "ngrok")
    assert resolve_agent_path(str(configured)) == str(configured)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX executable names")
def test_frozen_build_without_a_shipped_agent_uses_path(bundle, agent_on_path):
    assert bundled_agent_path() is None
    assert resolve_agent_path("") == str(agent_on_path)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX executable names")
def test_a_shipped_file_that_is_not_executable_is_not_used(bundle, agent_on_path):
    (bundle / "ngrok").write_text("not a program")
    (bundle / "ngrok").chmod(0o644)
    assert resolve_agent_path("") == str(agent_on_path)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX executable names")
def test_not_frozen_ignores_an_agent_beside_the_interpreter(tmp_path, monkeypatch, agent_on_path):
    folder = tmp_path / "venv-bin"
    executable(folder / "ngrok")
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "executable", str(executable(folder / "python")))
    assert bundled_agent_path() is None
    assert resolve_agent_path("") == str(agent_on_path)


def test_frozen_build_with_no_agent_anywhere_says_what_to_do(bundle, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(AgentNotFoundError) as caught:
        resolve_agent_path("")
    assert "ngrok.com/download" in caught.value.user_message


@pytest.mark.anyio
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX executable names")
async def test_a_frozen_console_starts_its_shipped_agent(bundle, fake_state, tmp_path, monkeypatch):
    shipped = executable(bundle / "ngrok")
    shipped.write_text(f'#!/bin/sh\nexec "{REAL_PYTHON}" "{FAKE_AGENT}" "$@"\n')
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))  # nothing on PATH: only the bundle
    state_dir = tmp_path / "data"
    tunnel = NgrokTunnel("fake-authtoken", state_dir=state_dir, startup_timeout=10)
    try:
        url = await tunnel.start(8765)
        assert url and tunnel.state is TunnelState.UP
        assert tunnel.agent_pid is not None
    finally:
        await tunnel.stop()
    assert tunnel.state is TunnelState.DOWN
