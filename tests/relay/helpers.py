"""Helpers for the team-mode tests: Telnyx-shaped event bodies and a journal to fill."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from console.events.journal import Journal, journal_row
from console.events.models import parse_envelope

_counter = itertools.count(1)


def event_body(
    event_type: str = "call.initiated",
    *,
    event_id: str | None = None,
    call_control_id: str | None = None,
    payload: dict[str, Any] | None = None,
) -> str:
    n = next(_counter)
    body = {
        "data": {
            "record_type": "event",
            "event_type": event_type,
            "id": event_id or str(uuid.uuid4()),
            "occurred_at": "2026-01-01T12:00:00.000000Z",
            "payload": payload
            or {
                "call_control_id": call_control_id or f"v3:relay-test-{n}",
                "call_leg_id": f"leg-{n}",
                "call_session_id": f"session-{n}",
                "connection_id": "7267xxxxxxxxxxxxxx",
                "from": "+18005550100",
                "to": "+18005550199",
                "direction": "incoming",
                "state": "parked",
            },
        },
        "meta": {"attempt": 1, "delivered_to": "http://127.0.0.1/webhooks/telnyx"},
    }
    return json.dumps(body, separators=(",", ":"))


def append_events(journal: Journal, count: int, *, received_at: float | None = None) -> list[str]:
    """Journal ``count`` new events in one commit; returns their event ids."""
    bodies = [event_body() for _ in range(count)]
    at = time.time() if received_at is None else received_at
    rows = [journal_row(parse_envelope(body), body, at) for body in bodies]
    journal.append_rows(rows)
    return [json.loads(body)["data"]["id"] for body in bodies]


def open_journal(path: Path) -> Journal:
    return Journal(path, synchronous="NORMAL")


async def wait_until(condition: Callable[[], bool], within: float = 10.0, what: str = "") -> None:
    """Poll a condition on the loop (for async tests without qtbot)."""
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        await asyncio.sleep(0.01)
