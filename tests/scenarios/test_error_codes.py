"""Every error code the simulator answers, seen through the project's real ``TelnyxClient``.

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
from console.simulator import TelnyxSimulator, phones
from console.telnyx import (
    APIError,
    AuthenticationError,
    InvalidPhoneNumber,
    RateLimitError,
    RetryPolicy,
    ServerError,
    TelnyxClient,
    TelnyxInputError,
    UnprocessableEntityError,
)
from console.telnyx import endpoints as ep

pytestmark = pytest.mark.anyio

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
def anyio_backend() -> str:
    return "asyncio"


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


# --- 401 10009: wrong or missing API key -----------------------------------------------------


async def test_wrong_api_key_is_authentication_error_10009(env):
    client, transport = env.new_client("KEYwrong" + env.sim.api_key)
    async with client:
        with pytest.raises(AuthenticationError) as info:
            await client.queues.list_all()
    error = info.value
    assert (error.status_code, error.code) == (401, "10009")
    assert error.errors[0].pointer is None
    message = readable(error, code="10009")
    assert env.sim.api_key not in message and env.sim.api_key not in repr(client)
    assert len(transport.requests) == 1 and env.sleeps == []


@pytest.mark.parametrize("key", ["", "   "])
async def test_missing_api_key_is_refused_before_any_request(env, key):
    """The client will not send without a key; the simulator's side of a missing key (401
    10009 with no Authorization header at all) is proved with a raw httpx request, the only
    way to send one, since the client always sends its key."""
    with pytest.raises(TelnyxInputError) as info:
        TelnyxClient(key, base_url=env.sim.base_url)
    assert info.value.field == "api_key"
    readable(info.value)
    async with httpx.AsyncClient(base_url=env.sim.base_url) as raw:
        response = await raw.get("/queues")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "10009"


# --- 422 request validation ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"to": "12"}, "to"),  # too short
        ({"to": "call mom"}, "to"),  # not a number
        ({"to": "sip:nobody"}, "to"),  # SIP without a host
        ({"to": "3125550100,hello"}, "to"),  # not DTMF after the comma
        ({"to": [phones.ANSWERS, "12"]}, "to"),
        ({"to": phones.ANSWERS, "from_": "sip:me@example.com"}, "from"),
    ],
)
async def test_bad_phone_numbers_are_refused_by_the_client(env, kwargs, field):
    params = {"connection_id": env.sim.connection_id, "from_": FROM, **kwargs}
    error = await refused_locally(env, lambda: env.client.calls.dial(**params), InvalidPhoneNumber)
    assert error.field == field


@pytest.mark.parametrize(
    ("to", "pointer"),
    [
        # RFC 3261 allows user:password and ?headers; the client passes them, Telnyx does not.
        ("sip:agent:secret@sim.telnyx.invalid", "/to"),
        ("sip:agent@sim.telnyx.invalid?X-Ticket=42", "/to"),
    ],
)
async def test_sip_uri_the_client_sends_but_telnyx_rejects_is_10015_on_to(env, to, pointer):
    params = {"connection_id": env.sim.connection_id, "to": to, "from_": FROM}
    error = await refused(
        env,
        lambda: env.client.calls.dial(**params),
        UnprocessableEntityError,
        "10015",
        pointer=pointer,
    )
    assert "SIP" in error.user_message
    assert env.sim.truth()["calls"] == {}


async def test_number_sent_raw_is_10016_with_pointer_to(env):
    """The typed ``dial`` always sends E.164, so the raw national number goes through the
    client's low-level ``TelnyxClient.call`` (same HTTP, error and retry path)."""
    body = {"connection_id": env.sim.connection_id, "to": "3125550100", "from": FROM}
    await refused(
        env,
        lambda: env.client.call(ep.DIAL, json=body),
        UnprocessableEntityError,
        "10016",
        pointer="/to",
    )


@pytest.mark.parametrize(
    ("action", "field"),
    [
        (lambda c: c.calls.dial(connection_id="1", from_=FROM), "to"),
        (lambda c: c.calls.send_dtmf("v3:any"), "digits"),
        (lambda c: c.calls.reject("v3:any"), "cause"),
        (lambda c: c.conferences.unhold("conf-1"), "call_control_ids"),
        (lambda c: c.calls.reject("v3:any", cause="MAYBE"), "cause"),  # bad enum
        (
            lambda c: c.calls.dial(
                connection_id="1", to=phones.ANSWERS, from_=FROM, record_channels="triple"
            ),
            "record_channels",
        ),
        (lambda c: c.calls.answer("v3:any", client_state=42), "client_state"),  # not text
        (lambda c: c.calls.answer("v3:any", colour="blue"), "colour"),  # not a field
        (lambda c: c.calls.hangup(""), "call_control_id"),  # empty path id
    ],
)
async def test_missing_field_bad_enum_and_bad_client_state_are_refused_by_the_client(
    env, action, field
):
    error = await refused_locally(env, lambda: action(env.client))
    assert error.field == field


@pytest.mark.parametrize(
    ("action", "pointer"),
    [
        # Values the client's models allow but Telnyx refuses: blank required strings, a
        # playback with no media at all.
        (lambda c: c.calls.send_dtmf("v3:unknown", digits=""), "/digits"),
        (lambda c: c.calls.playback_start("v3:unknown"), "/audio_url"),
        (lambda c: c.conferences.create(call_control_id="v3:unknown", name=""), "/name"),
    ],
)
async def test_missing_required_field_is_10004_with_pointer(env, action, pointer):
    await refused(
        env, lambda: action(env.client), UnprocessableEntityError, "10004", pointer=pointer
    )


async def test_bad_enum_is_10032_with_pointer(env):
    """The typed ``reject`` refuses the value locally (see above); sent through the client's
    low-level ``call`` it reaches Telnyx, whose answer the client reads as code + field."""
    ccid = await env.ringing_inbound()
    error = await refused(
        env,
        lambda: env.client.call(ep.REJECT, {"call_control_id": ccid}, json={"cause": "MAYBE"}),
        UnprocessableEntityError,
        "10032",
        pointer="/cause",
    )
    assert "CALL_REJECTED" in error.user_message  # the allowed values are named
    assert env.sim.truth()["calls"][ccid]["state"] == "parked"  # the call still rings


async def test_bad_base64_client_state_is_90017_with_pointer(env):
    """The client base64-encodes every client_state it is given, so it cannot send a bad one;
    the raw value goes through its low-level ``call`` to show it reads 90017."""
    ccid = await env.ringing_inbound()
    path = {"call_control_id": ccid}
    await refused(
        env,
        lambda: env.client.call(ep.ANSWER, path, json={"client_state": "not base64!"}),
        UnprocessableEntityError,
        "90017",
        pointer="/client_state",
    )
    # The typed method encodes the same text, and the command is accepted.
    await env.client.calls.answer(ccid, client_state="not base64!")
    answered = await env.webhooks.wait("call.answered", ccid)
    assert answered.data.payload.client_state_text == "not base64!"


async def test_timeout_out_of_range_is_10033(env):
    """The client's model has no bounds for dial's timeout_secs; Telnyx's are 5..600."""
    params = {"connection_id": env.sim.connection_id, "to": phones.ANSWERS, "from_": FROM}
    await refused(
        env,
        lambda: env.client.calls.dial(timeout_secs=1, **params),
        UnprocessableEntityError,
        "10033",
        pointer="/timeout_secs",
    )


# --- call state errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "action",
    [
        lambda c, ccid: c.calls.hangup(ccid),
        lambda c, ccid: c.calls.answer(ccid),
        lambda c, ccid: c.calls.speak(ccid, payload="hello", voice="female"),
    ],
)
async def test_unknown_call_control_id_is_90015(env, action):
    await refused(
        env,
        lambda: action(env.client, "v3:no-such-call"),
        UnprocessableEntityError,
        "90015",
        pointer="/call_control_id",
    )


async def test_command_on_ended_call_is_90018(env):
    ccid = await env.dial(phones.BUSY)
    hangup = await env.webhooks.wait("call.hangup", ccid)
    assert hangup.data.payload.hangup_cause == "user_busy"
    error = await refused(
        env, lambda: env.client.calls.hangup(ccid), UnprocessableEntityError, "90018"
    )
    assert "ended" in error.user_message


async def test_answer_on_outbound_call_is_90102(env):
    ccid = await env.dial(phones.ANSWERS)
    await env.webhooks.wait("call.answered", ccid)
    await refused(env, lambda: env.client.calls.answer(ccid), UnprocessableEntityError, "90102")


@pytest.mark.parametrize(
    "action",
    [
        lambda c, ccid: c.calls.speak(ccid, payload="hello", voice="female"),
        lambda c, ccid: c.calls.record_start(ccid, format="mp3", channels="single"),
        lambda c, ccid: c.calls.enqueue(ccid, queue_name="support"),
        lambda c, ccid: c.conferences.create(call_control_id=ccid, name="unanswered"),
    ],
)
async def test_command_needing_an_answered_call_is_90034(env, action):
    ccid = await env.ringing_inbound()
    await refused(env, lambda: action(env.client, ccid), UnprocessableEntityError, "90034")
    truth = env.sim.truth()["calls"][ccid]
    assert (truth["answered"], truth["queue"], truth["recording"]) == (False, None, False)


# --- conferences -----------------------------------------------------------------------------


async def test_command_on_ended_conference_is_90019(env):
    a = await env.answered_inbound()
    b = await env.answered_inbound("+13125550143")
    conference = await env.client.conferences.create(call_control_id=a, name="ended-room")
    await env.client.conferences.end(conference.id)
    await env.webhooks.wait("call.hangup", a)  # ending a conference hangs its participants up
    await refused(
        env,
        lambda: env.client.conferences.join(conference.id, call_control_id=b),
        UnprocessableEntityError,
        "90019",
    )
    await refused(
        env, lambda: env.client.conferences.mute(conference.id), UnprocessableEntityError, "90019"
    )


async def test_joining_a_conference_twice_is_90044(env):
    a = await env.answered_inbound()
    b = await env.answered_inbound("+13125550143")
    conference = await env.client.conferences.create(call_control_id=a, name="busy-room")
    await env.client.conferences.join(conference.id, call_control_id=b)
    await env.webhooks.wait("conference.participant.joined", b)
    error = await refused(
        env,
        lambda: env.client.conferences.join(conference.id, call_control_id=b),
        UnprocessableEntityError,
        "90044",
    )
    assert "already" in error.user_message
    # The creator is a participant already, too.
    await refused(
        env,
        lambda: env.client.conferences.join(conference.id, call_control_id=a),
        UnprocessableEntityError,
        "90044",
    )


# --- queues -----------------------------------------------------------------------------------


async def test_leaving_a_queue_the_call_is_not_in_is_90035(env):
    ccid = await env.answered_inbound()
    await refused(
        env, lambda: env.client.calls.leave_queue(ccid), UnprocessableEntityError, "90035"
    )


async def test_full_queue_is_90036(env):
    a = await env.answered_inbound()
    b = await env.answered_inbound("+13125550143")
    await env.client.calls.enqueue(a, queue_name="tiny", max_size=1)
    await env.webhooks.wait("call.enqueued", a)
    error = await refused(
        env,
        lambda: env.client.calls.enqueue(b, queue_name="tiny"),
        UnprocessableEntityError,
        "90036",
    )
    assert "tiny" in error.user_message


async def test_enqueueing_a_queued_call_is_90038(env):
    ccid = await env.answered_inbound()
    await env.client.calls.enqueue(ccid, queue_name="support")
    await env.webhooks.wait("call.enqueued", ccid)
    for queue in ("support", "sales"):  # the same queue, or another while still queued
        await refused(
            env,
            lambda q=queue: env.client.calls.enqueue(ccid, queue_name=q),
            UnprocessableEntityError,
            "90038",
        )


# --- 429 and 5xx --------------------------------------------------------------------------------


async def test_rate_limit_switched_on_is_429_10011_with_retry_after(env):
    env.sim.faults.rate_limit_per_second = 1
    outcomes: list[BaseException | None] = []
    # The window is one real second: the first request in it passes, the next is refused.
    # A request that happens to open a new window passes too, so stop at the first refusal.
    for _ in range(20):
        try:
            await env.client.queues.list_all()
        except RateLimitError as exc:
            outcomes.append(exc)
            break
        outcomes.append(None)
    error = outcomes[-1]
    assert isinstance(error, RateLimitError), "no request was rate limited"
    assert outcomes[0] is None
    assert (error.status_code, error.code, error.retry_after) == (429, "10011", 1.0)
    readable(error, code="10011")
    assert env.sent() == len(outcomes) and env.sleeps == []


async def test_random_429_is_refused_once_without_retries(env):
    env.sim.faults.api_429_rate = 1.0
    error = await refused(
        env, lambda: env.client.queues.list_all(), RateLimitError, "10011", status=429
    )
    assert error.retry_after == 1.0


async def test_retry_after_is_what_a_retrying_client_waits(env):
    """Not the no-retry policy: with 2 attempts the client sleeps Telnyx's Retry-After."""
    env.sim.faults.api_429_rate = 1.0
    client, transport = env.new_client(env.sim.api_key, retry=RetryPolicy(max_attempts=2))
    async with client:
        with pytest.raises(RateLimitError):
            await client.queues.list_all()
    assert len(transport.requests) == 2
    assert env.sleeps == [1.0]


async def test_injected_5xx_are_server_errors_with_their_codes(env):
    env.sim.faults.api_5xx_rate = 1.0
    seen: dict[int, ServerError] = {}
    attempts = 0
    for _ in range(40):  # the simulator picks 500 or 503 at random (seeded)
        attempts += 1
        with pytest.raises(ServerError) as info:
            await env.client.queues.list_all()
        seen.setdefault(info.value.status_code, info.value)
        if len(seen) == 2:
            break
    assert set(seen) == {500, 503}
    for status, code in ((500, "10010"), (503, "10012")):
        error = seen[status]
        assert type(error) is ServerError and error.code == code
        readable(error, code=code)
    assert env.sent() == attempts  # one request per call: not even 503 is retried
    assert env.sleeps == []
    env.sim.faults.api_5xx_rate = 0.0
    assert await env.client.queues.list_all() == []
