"""Error codes the simulator answers, through the real client: a wrong or missing API key
(401 10009) and request validation (422: 10015, 10016, 10004, 10032, 90017, 10033), each beside
the client's own refusal of the same bad input before any request. Plumbing and assertions are
in tests/scenarios/client_errors.py.
"""

from __future__ import annotations

import httpx
import pytest

from console.simulator import phones
from console.telnyx import (
    AuthenticationError,
    InvalidPhoneNumber,
    TelnyxClient,
    TelnyxInputError,
    UnprocessableEntityError,
)
from console.telnyx import endpoints as ep
from tests.scenarios.client_errors import FROM, readable, refused, refused_locally

pytestmark = pytest.mark.anyio


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
