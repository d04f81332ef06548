"""The real ``TelnyxClient`` against the simulator, and what every error-code case asserts.

Issue #4: "scenarios through the project's real client and receiver: ... each error code".
Each case drives a real ``TelnyxClient`` (retries disabled, a recording no-op ``sleep``) over
real HTTP against an in-process ``TelnyxSimulator``, whose webhooks go to the real
``console.events`` receiver and journal (in ``tmp_path``). Each case asserts the exception class,
the Telnyx code, the JSON pointer where Telnyx sends one, that ``user_message`` is a sentence an
operator can read, and how many HTTP requests were made (one: nothing retried).

Where the client refuses input before sending (phone numbers, enums, required fields,
client_state), a parametrised case shows ``TelnyxInputError`` with zero requests; the
simulator's 422 is then reached either with a value the client legitimately sends but the
simulator rejects, or through ``TelnyxClient.call`` - the client's own low-level send path
(real HTTP, error parsing and retry loop) that skips only the typed methods' body validation.
Waits are on webhooks reaching the receiver, never fixed sleeps.

The ``env`` fixture reaches the test_error_codes_*.py modules through tests/scenarios/conftest.py.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from console.events.journal import Journal
from console.events.models import Envelope
from console.events.receiver import ReceivedEvent, WebhookReceiver
from console.events.signature import KeyPair
from console.simulator import TelnyxSimulator
from console.telnyx import (
    APIError,
    RetryPolicy,
    TelnyxClient,
    TelnyxInputError,
    UnprocessableEntityError,
)

SPEED = 100.0  # a 2 s ring takes 20 ms
WITHIN = 15.0  # real seconds to wait for a webhook: generous, never a timing assertion
LONG_RING = 100_000.0  # simulated seconds an unanswered inbound call keeps ringing
FROM = "+13125550199"  # one of the simulator's default from_numbers
CALLER = "+13125550142"


# --- plumbing --------------------------------------------------------------------------------


class CountingTransport(httpx.AsyncBaseTransport):
    """The real HTTP transport, counting what the client actually puts on the wire."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


class Webhooks:
    """What the real receiver accepted, with a condition wait (woken by each delivery)."""

    def __init__(self) -> None:
        self.seen: list[Envelope] = []
        self._changed = asyncio.Event()

    def on_event(self, envelope: Envelope, _received: ReceivedEvent) -> None:
        self.seen.append(envelope)
        self._changed.set()

    def find(self, event_type: str, ccid: str) -> Envelope | None:
        for envelope in self.seen:
            if envelope.event_type == event_type and envelope.data.payload.call_control_id == ccid:
                return envelope
        return None

    async def wait(self, event_type: str, ccid: str) -> Envelope:
        async with asyncio.timeout(WITHIN):
            while True:
                self._changed.clear()
                found = self.find(event_type, ccid)
                if found is not None:
                    return found
                await self._changed.wait()


@dataclass
class Env:
    sim: TelnyxSimulator
    client: TelnyxClient
    transport: CountingTransport
    webhooks: Webhooks
    sleeps: list[float] = field(default_factory=list)

    def new_client(self, api_key: str, **kw: Any) -> tuple[TelnyxClient, CountingTransport]:
        transport = CountingTransport()
        client = TelnyxClient(
            api_key,
            base_url=self.sim.base_url,
            retry=kw.pop("retry", RetryPolicy.disabled()),
            transport=transport,
            sleep=self._sleep,
            **kw,
        )
        return client, transport

    async def _sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)  # no real time passes

    def sent(self) -> int:
        return len(self.transport.requests)

    # --- reaching call states ---------------------------------------------------------------

    async def ringing_inbound(self, from_: str = CALLER) -> str:
        ccid = await self.sim.place_inbound_call(from_=from_, ring_secs=LONG_RING)
        await self.webhooks.wait("call.initiated", ccid)
        return ccid

    async def answered_inbound(self, from_: str = CALLER) -> str:
        ccid = await self.ringing_inbound(from_)
        await self.client.calls.answer(ccid)
        await self.webhooks.wait("call.answered", ccid)
        return ccid

    async def dial(self, to: str) -> str:
        result = await self.client.calls.dial(
            connection_id=self.sim.connection_id, to=to, from_=FROM
        )
        return result.call_control_id


@pytest.fixture
async def env(tmp_path: Path) -> AsyncIterator[Env]:
    keypair = KeyPair.generate()
    journal = Journal(tmp_path / "events.db")
    webhooks = Webhooks()
    receiver = WebhookReceiver(journal, webhooks.on_event, public_key=keypair.public_key_b64)
    url = await receiver.start()
    sim = TelnyxSimulator(webhook_url=url, speed=SPEED, seed=4, keypair=keypair)
    await sim.start()
    holder = Env(sim, None, None, webhooks)  # type: ignore[arg-type]
    holder.client, holder.transport = holder.new_client(sim.api_key)
    try:
        yield holder
    finally:
        await holder.client.aclose()
        await sim.stop()
        await receiver.stop()
        journal.close()


# --- assertions --------------------------------------------------------------------------------

_REPR = re.compile(r"ErrorDetail\(|\{'|\['|<[A-Za-z_.]+ object|Traceback|\bNone\b|\\n")


def readable(error: BaseException, *, code: str | None = None) -> str:
    """``user_message`` is a plain sentence (naming ``code`` when given), equal to ``str()``."""
    message = error.user_message  # type: ignore[attr-defined]
    assert isinstance(message, str) and message.strip(), repr(error)
    assert message == str(error)
    assert not _REPR.search(message), message
    assert "\n" not in message
    if code is not None:
        assert f"({code})" in message, message
    return message


async def refused(
    env: Env,
    action: Callable[[], Any],
    cls: type[APIError],
    code: str,
    *,
    status: int = 422,
    pointer: str | None = None,
    field: str | None = None,
) -> APIError:
    """Run ``action``; it must fail with ``cls``/``code`` after exactly one request."""
    before = env.sent()
    with pytest.raises(cls) as info:
        await action()
    error = info.value
    assert type(error) is cls
    assert error.status_code == status
    assert error.code == code
    assert len(error.errors) == 1
    detail = error.errors[0]
    assert detail.code == code
    assert detail.pointer == pointer
    if pointer is not None:
        assert detail.field == (field or pointer.strip("/").replace("/", "."))
        assert isinstance(error, UnprocessableEntityError)
        assert detail.field in error.field_errors
    readable(error, code=code)
    assert env.sent() - before == 1, "a refused command is not retried"
    assert env.sleeps == []
    return error


async def refused_locally(env: Env, action: Callable[[], Any], cls=TelnyxInputError) -> Any:
    before = env.sent()
    with pytest.raises(cls) as info:
        await action()
    assert isinstance(info.value, TelnyxInputError)
    readable(info.value)
    assert env.sent() == before, "bad input must not reach Telnyx"
    return info.value
