"""Helpers shared by the tunnel tests (and the session's tunnel wiring scenario): the fake
agent's executable, pyngrok isolation, an NgrokTunnel on it with quick timings, condition waits,
a status recorder, fake-agent records."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import stat
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.request import urlopen

import pytest
from pyngrok import installer, ngrok, process

from console.tunnel import NgrokTunnel, TunnelState, TunnelStatus
from console.tunnel.agent_process import process_alive

DEADLINE = 20.0  # generous: every wait ends as soon as its condition holds
FAKE_AGENT = Path(__file__).with_name("fake_ngrok.py")
TOKEN = "fake-authtoken-0123456789"
FAKE_URL = re.compile(r"^https://fake-[0-9a-f]{12}\.ngrok\.test$")


def make_tunnel(fake_agent, state_dir, **kwargs) -> NgrokTunnel:
    options = {
        "state_dir": state_dir,
        "ngrok_path": fake_agent,
        "watchdog_interval": 0.05,
        "backoff_initial": 0.05,
        "backoff_max": 0.2,
        "startup_timeout": 10,
    }
    options.update(kwargs)
    return NgrokTunnel(options.pop("authtoken", TOKEN), **options)


def write_fake_agent(bin_dir: Path) -> str:
    """An executable named ``ngrok`` in ``bin_dir`` that runs the fake agent."""
    bin_dir.mkdir(parents=True, exist_ok=True)
    wrapper = bin_dir / "ngrok"
    # exec keeps the PID: the PID pyngrok sees is the fake agent's own.
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{FAKE_AGENT}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return str(wrapper)


@contextlib.contextmanager
def isolated_pyngrok(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """No real authtoken from the environment, no download, no agent left afterwards.

    Yields the paths pyngrok tried to download an agent to (each attempt also fails the test).
    """
    monkeypatch.delenv("NGROK_AUTHTOKEN", raising=False)
    monkeypatch.delenv("NGROK_API_KEY", raising=False)
    monkeypatch.delenv("PYNGROK_NGROK_PATH", raising=False)
    downloads: list[str] = []

    def no_download(ngrok_path, *args, **kwargs):
        downloads.append(ngrok_path)
        raise AssertionError(f"pyngrok tried to download an agent to {ngrok_path}")

    monkeypatch.setattr(installer, "install_ngrok", no_download)
    try:
        yield downloads
    finally:
        for path in list(process._current_processes):
            process.kill_process(path)
        ngrok._current_tunnels.clear()
        installer._config_cache.clear()


async def wait_until(predicate: Callable[[], bool], what: str, deadline: float = DEADLINE) -> None:
    """Poll ``predicate`` until it holds; fail with ``what`` if it never does."""
    end = time.monotonic() + deadline
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


class StatusLog:
    """Collects every status a tunnel reports."""

    def __init__(self) -> None:
        self.statuses: list[TunnelStatus] = []

    def __call__(self, status: TunnelStatus) -> None:
        self.statuses.append(status)

    @property
    def states(self) -> list[TunnelState]:
        return [s.state for s in self.statuses]

    def urls_when_up(self) -> list[str | None]:
        return [s.public_url for s in self.statuses if s.state is TunnelState.UP]


def read_starts(fake_state: Path) -> list[dict]:
    path = fake_state / "starts.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def pid_gone(pid: int) -> bool:
    return not process_alive(pid)


async def agent_endpoint(tunnel: NgrokTunnel, name: str = "telnyx-console") -> dict:
    """The endpoint as the (fake) agent's local API describes it."""

    def fetch() -> dict:
        with urlopen(f"{tunnel.api_url}/api/endpoints/{name}") as response:
            return json.loads(response.read())

    return await asyncio.to_thread(fetch)
