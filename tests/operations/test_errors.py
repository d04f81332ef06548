"""Refusals from Telnyx (422/404/429/5xx) reach the operator in words; the store is untouched."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from console.events.models import parse_envelope
from console.telnyx.errors import (
    NotFoundError,
    RateLimitError,
    ServerError,
    TelnyxError,
    UnprocessableEntityError,
)
from console.telnyx.retry import RetryPolicy
from tests.operations.helpers import answered_inbound

pytestmark = pytest.mark.anyio


def _state(store):
    return copy.deepcopy((dict(store.calls), dict(store.conferences), dict(store.queues)))


def _readable(exc: BaseException) -> str:
    text = getattr(exc, "user_message", None) or str(exc)
    assert text and "Traceback" not in text and len(text) < 400
    return text


async def test_422_when_the_call_ended_unseen(console):
    ccid = await answered_inbound(console)
    console.simulator.start_outage(10_000)  # the hangup webhook cannot reach us
    console.simulator.remote_hangup(ccid)
    before = _state(console.store)

    with pytest.raises(UnprocessableEntityError) as failure:
        await console.ops.hold(ccid)

    assert "ended" in _readable(failure.value).lower()
    assert _state(console.store) == before


async def test_404_for_an_unknown_conference(console):
    envelope = parse_envelope(
        {
            "data": {
                "event_type": "conference.created",
                "id": "evt-unknown-conference",
                "occurred_at": datetime.now(UTC).isoformat(),
                "payload": {"conference_id": "no-such-conference", "call_control_id": "v3:x"},
            }
        }
    )
    console.store.apply(envelope)
    before = _state(console.store)

    with pytest.raises(NotFoundError) as failure:
        await console.ops.end_conference("no-such-conference")

    _readable(failure.value)
    assert _state(console.store) == before


@pytest.mark.parametrize(
    ("fault", "error"), [("api_429_rate", RateLimitError), ("api_5xx_rate", ServerError)]
)
async def test_rate_limits_and_server_errors(console, fault, error):
    ccid = await answered_inbound(console)
    console.client.retry = RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02)
    setattr(console.simulator.faults, fault, 1.0)
    before = _state(console.store)

    with pytest.raises(TelnyxError) as failure:
        await console.ops.record_start(ccid)

    assert isinstance(failure.value, error) or "unavailable" in str(failure.value).lower()
    _readable(failure.value)
    assert _state(console.store) == before


async def test_bad_input_is_a_value_error(console):
    ccid = await answered_inbound(console)
    with pytest.raises(ValueError, match="DTMF"):
        await console.ops.send_dtmf(ccid, "12x")
    with pytest.raises(ValueError):
        await console.ops.dial("not a number")
    with pytest.raises(ValueError, match="country code"):
        await console.ops.dial("+13125550100", from_="5550100")
    with pytest.raises(ValueError, match="not ringing"):
        await console.ops.answer(ccid)
    await console.ops.send_dtmf(ccid, "12#")
