"""Bad input is refused before any request is made, with a message an operator can read."""

from __future__ import annotations

import base64

import pytest

from console.telnyx import InvalidPhoneNumber, TelnyxClient, TelnyxError, TelnyxInputError
from tests.telnyx.conftest import ok
from tests.telnyx.operation_cases import APPLICATION, CALL, CCID, CONF, CONN

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"to": "12"}, "Invalid 'to': '12' is too short to be a phone number"),
        ({"to": "call mom"}, "Invalid 'to': 'call mom' is not a phone number"),
        ({"to": "sip:nobody"}, "Invalid 'to': 'sip:nobody' is not a valid SIP address"),
        ({"to": ["+13125550001", "12"]}, "Invalid 'to': '12' is too short"),
        ({"to": "312-555-0001", "from_": "sip:me@example.com"}, "Invalid 'from': "),
        ({"to": "312-555-0001,hello"}, "Invalid 'to': 'hello' after the comma are not DTMF"),
    ],
)
async def test_bad_phone_number_sends_nothing(client, recorder, kwargs, message):
    params = {"connection_id": CONN, "from_": "+13125550000", **kwargs}
    with pytest.raises(InvalidPhoneNumber) as info:
        await client.calls.dial(**params)
    assert str(info.value).startswith(message)
    assert isinstance(info.value, TelnyxInputError)
    assert isinstance(info.value, ValueError)
    assert info.value.field in ("to", "from")
    assert recorder.requests == []


async def test_dial_accepts_operator_formats(client, recorder):
    recorder.reply(ok(CALL))
    await client.calls.dial(
        connection_id=CONN, to=["(312) 555-0001", "sips:bob@example.com"], from_="3125550000"
    )
    body = recorder.body()
    assert body["to"] == ["+13125550001", "sips:bob@example.com"]
    assert body["from"] == "+13125550000"


async def test_dial_keeps_dtmf_suffix(client, recorder):
    recorder.reply(ok(CALL))
    await client.calls.dial(connection_id=CONN, to="312 555 0001,200#", from_="+13125550000")
    assert recorder.body()["to"] == "+13125550001,200#"


async def test_default_country_used_for_national_numbers(make_client, recorder):
    client = make_client(default_country="GB")
    await client.calls.transfer(CCID, to="020 7946 0958")
    assert recorder.body()["to"] == "+442079460958"


async def test_no_default_country_requires_plus(make_client, recorder):
    client = make_client(default_country=None)
    with pytest.raises(InvalidPhoneNumber, match="needs a country code"):
        await client.calls.transfer(CCID, to="3125550001")
    assert recorder.requests == []


async def test_refer_requires_sip(client, recorder):
    with pytest.raises(InvalidPhoneNumber, match="Invalid 'sip_address'"):
        await client.calls.refer(CCID, sip_address="+13125550001")
    assert recorder.requests == []


async def test_unknown_keyword_rejected(client, recorder):
    with pytest.raises(TelnyxInputError) as info:
        await client.calls.hangup(CCID, cause="normal")
    assert str(info.value) == ("Invalid calls.hangup request: cause is not a field of this request")
    assert recorder.requests == []


async def test_missing_required_field_rejected(client, recorder):
    with pytest.raises(TelnyxInputError) as info:
        await client.calls.record_start(CCID, format="wav")
    assert str(info.value) == "Invalid calls.record_start request: channels is required"
    assert info.value.field == "channels"
    assert recorder.requests == []


async def test_missing_from_is_named_from(client, recorder):
    with pytest.raises(TelnyxInputError, match="from is required"):
        await client.calls.dial(connection_id=CONN, to="+13125550001")
    assert recorder.requests == []


async def test_bad_enum_value_rejected(client, recorder):
    with pytest.raises(TelnyxInputError, match=r"cause: Input should be 'CALL_REJECTED'"):
        await client.calls.reject(CCID, cause="BUSY")
    assert recorder.requests == []


async def test_out_of_range_value_rejected(client, recorder):
    with pytest.raises(TelnyxInputError, match="time_limit_secs"):
        await client.calls.dial(
            connection_id=CONN, to="+13125550001", from_="+13125550000", time_limit_secs=5
        )
    with pytest.raises(TelnyxInputError, match="loop"):
        await client.calls.playback_start(CCID, audio_url="https://x/a.mp3", loop=0)
    assert recorder.requests == []


async def test_conference_commands_without_command_id_send_none(client, recorder):
    with pytest.raises(TelnyxInputError, match="command_id is not a field"):
        await client.conferences.mute(CONF, command_id="x")
    await client.conferences.hold(CONF)
    await client.conferences.unhold(CONF, call_control_ids=[CCID])
    await client.calls.switch_supervisor_role(CCID, role="barge")
    assert all("command_id" not in recorder.body(i) for i in range(3))


async def test_unhold_requires_call_control_ids(client, recorder):
    with pytest.raises(TelnyxInputError, match="call_control_ids is required"):
        await client.conferences.unhold(CONF)
    assert recorder.requests == []


async def test_client_state_is_base64_on_the_wire(client, recorder):
    await client.calls.answer(CCID, client_state='{"agent": "Zoë"}')
    sent = recorder.body()["client_state"]
    assert sent == base64.b64encode('{"agent": "Zoë"}'.encode()).decode()
    await client.calls.client_state_update(CCID, client_state="stage=2")
    assert base64.b64decode(recorder.body()["client_state"]) == b"stage=2"


async def test_client_state_must_be_text(client, recorder):
    with pytest.raises(TelnyxInputError, match="client_state must be text"):
        await client.calls.answer(CCID, client_state={"a": 1})
    assert recorder.requests == []


@pytest.mark.parametrize("bad", ["", "  "])
async def test_empty_path_id_rejected(client, recorder, bad):
    with pytest.raises(TelnyxInputError, match="call_control_id is required"):
        await client.calls.hangup(bad)
    assert recorder.requests == []


def test_empty_api_key_rejected():
    with pytest.raises(TelnyxError, match="No Telnyx API key"):
        TelnyxClient(api_key=" ")


async def test_application_create_defaults_to_webhook_v2(client, recorder):
    recorder.reply(ok(APPLICATION, status=201))
    await client.applications.create(
        application_name="c", webhook_event_url="https://example.com/h"
    )
    assert recorder.body()["webhook_api_version"] == "2"
    await client.applications.create(
        application_name="c", webhook_event_url="https://example.com/h", webhook_api_version="1"
    )
    assert recorder.body()["webhook_api_version"] == "1"


async def test_union_errors_read_as_one_field(client, recorder):
    with pytest.raises(TelnyxInputError) as info:
        await client.calls.playback_start(CCID, audio_url="https://x/a.mp3", loop=0)
    assert info.value.field == "loop"
    assert str(info.value).startswith("Invalid calls.playback_start request: loop: ")
    assert "[" not in str(info.value)
