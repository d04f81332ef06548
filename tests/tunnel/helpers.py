"""Helpers shared by the tunnel tests: condition waits, a status recorder, fake-agent records."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path
from urllib.request import urlopen

from console.tunnel import NgrokTunnel, TunnelState, TunnelStatus
from console.tunnel.agent_process import process_alive

DEADLINE = 20.0  # generous: every wait ends as soon as its condition holds


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
