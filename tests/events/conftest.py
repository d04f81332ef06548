"""Fixtures for the events tests: key pairs, journals, signed event bodies and live receivers."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest

from console.events.journal import Journal
from console.events.receiver import Rejection, WebhookReceiver
from console.events.signature import KeyPair, sign

_counter = itertools.count(1)


def make_event(
    event_type: str = "call.initiated",
    *,
    event_id: str | None = None,
    attempt: int = 1,
    payload: dict[str, Any] | None = None,
    occurred_at: str | None = "2026-01-01T12:00:00.000000Z",
) -> bytes:
    """A Telnyx-shaped v2 webhook body (compact JSON bytes, as Telnyx sends)."""
    n = next(_counter)
    body = {
        "data": {
            "record_type": "event",
            "event_type": event_type,
            "id": event_id or str(uuid.uuid4()),
            "occurred_at": occurred_at,
            "payload": payload
            or {
                "call_control_id": f"v3:ccid-{n}",
                "call_leg_id": f"leg-{n}",
                "call_session_id": f"session-{n}",
                "connection_id": "7267xxxxxxxxxxxxxx",
                "from": "+18005550100",
                "to": "+18005550199",
                "direction": "incoming",
                "state": "parked",
            },
        },
        "meta": {"attempt": attempt, "delivered_to": "http://127.0.0.1/webhooks/telnyx"},
    }
    if occurred_at is None:  # conference events carry it in the payload instead
        del body["data"]["occurred_at"]
    return json.dumps(body, separators=(",", ":")).encode()


class Recorder:
    """Collects what the receiver hands to its callbacks."""

    def __init__(self) -> None:
        self.events: list[tuple[Any, Any]] = []
        self.rejections: list[Rejection] = []

    def on_event(self, envelope, received) -> None:
        self.events.append((envelope, received))

    def on_rejected(self, rejection: Rejection) -> None:
        self.rejections.append(rejection)

    async def settle(self) -> None:
        """Let call_soon callbacks scheduled by the last answered request run."""
        for _ in range(3):
            await asyncio.sleep(0)


@pytest.fixture
def keys() -> KeyPair:
    return KeyPair.generate()


@pytest.fixture
def signer(keys) -> Callable[..., dict[str, str]]:
    def _sign(body: bytes, **kwargs) -> dict[str, str]:
        headers = sign(body, keys, **kwargs)
        headers["Content-Type"] = "application/json"
        return headers

    return _sign


@pytest.fixture
def journal(tmp_path) -> Journal:
    j = Journal(tmp_path / "events.db")
    yield j
    j.close()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def start_receiver(journal, keys, recorder) -> AsyncIterator[Callable]:
    """Factory: start a WebhookReceiver on 127.0.0.1:0 (stopped at teardown)."""
    started: list[WebhookReceiver] = []

    async def _start(**overrides) -> WebhookReceiver:
        kwargs = dict(
            journal=journal,
            on_event=recorder.on_event,
            public_key=keys.public_key_b64,
            on_rejected=recorder.on_rejected,
            clock=time.time,
        )
        kwargs.update(overrides)
        receiver = WebhookReceiver(**kwargs)
        await receiver.start()
        started.append(receiver)
        return receiver

    yield _start
    for receiver in started:
        await receiver.stop()


@pytest.fixture
async def receiver(start_receiver) -> WebhookReceiver:
    return await start_receiver()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        yield session
