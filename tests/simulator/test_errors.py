"""Telnyx error codes: auth, validation pointers, call/conference/queue state errors, faults."""

from __future__ import annotations

import httpx
import pytest

from console.simulator import Faults, phones

pytestmark = pytest.mark.anyio


def error_of(response: httpx.Response) -> dict:
    errors = response.json()["errors"]
    assert len(errors) == 1
    return errors[0]


async def answered_inbound(sim, receiver, api) -> str:
    ccid = await sim.place_inbound_call(from_="+13125550150", ring_secs=600)
    await api.post(f"/calls/{ccid}/actions/answer", {})
    await receiver.wait_event("call.answered", ccid)
    return ccid


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic abc"])
async def test_missing_or_wrong_key_is_401_10009(sim, api, header):
    headers = {"Authorization": header} if header else {}
    async with httpx.AsyncClient(base_url=sim.base_url, headers=headers) as plain:
        response = await plain.get("/queues")
    assert response.status_code == 401
    assert error_of(response)["code"] == "10009"
    api.check("GET", response)


@pytest.mark.parametrize(
    ("body", "code", "pointer"),
    [
        ({"from": "+13125550199"}, "10004", "/to"),
        ({"to": "+13125550100"}, "10004", "/from"),
        ({"to": "3125550100", "from": "+13125550199"}, "10016", "/to"),
        ({"to": "sip:nobody", "from": "+13125550199"}, "10015", "/to"),
        ({"to": "+13125550100", "from": "call me"}, "10016", "/from"),
        ({"to": 13125550100, "from": "+13125550199"}, "10015", "/to"),
        (
            {"to": "+13125550100", "from": "+13125550199", "record_channels": "triple"},
            "10032",
            "/record_channels",
        ),
        (
            {"to": "+13125550100", "from": "+13125550199", "client_state": "not base64!"},
            "90017",
            "/client_state",
        ),
        (
            {"to": "+13125550100", "from": "+13125550199", "timeout_secs": 1},
            "10033",
            "/timeout_secs",
        ),
    ],
)
async def test_dial_validation_errors_carry_code_and_pointer(sim, api, body, code, pointer):
    response = await api.post("/calls", {"connection_id": sim.connection_id, **body})
    assert response.status_code == 422
    error = error_of(response)
    assert (error["code"], error["source"]["pointer"]) == (code, pointer)


async def test_dial_with_unknown_connection_is_10015(sim, api):
    body = {"connection_id": "123", "to": phones.ANSWERS, "from": "+13125550199"}
    response = await api.post("/calls", body)
    assert response.status_code == 422
    assert error_of(response)["source"]["pointer"] == "/connection_id"


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe"])
async def test_bad_bodies_never_crash(sim, api, raw):
    for path in ("/calls", "/conferences", "/queues", "/call_control_applications"):
        response = await api.request(
            "POST", path, content=raw, headers={"Content-Type": "application/json"}
        )
        assert response.status_code in (400, 422)
        assert error_of(response)["code"]


async def test_unknown_call_is_422_90015(api):
    response = await api.post("/calls/v3:nope/actions/hangup", {})
    assert response.status_code == 422
    assert error_of(response)["code"] == "90015"
    status = await api.get("/calls/v3:nope")
    assert status.status_code == 422 and error_of(status)["code"] == "90015"


async def test_command_on_ended_call_is_90018(sim, receiver, api):
    ccid = await answered_inbound(sim, receiver, api)
    await api.post(f"/calls/{ccid}/actions/hangup", {})
    response = await api.post(f"/calls/{ccid}/actions/speak", {"payload": "hi", "voice": "female"})
    assert response.status_code == 422
    assert error_of(response)["code"] == "90018"


async def test_answer_on_outbound_call_is_90102(sim, receiver, api):
    body = {"connection_id": sim.connection_id, "to": phones.NO_ANSWER, "from": "+13125550199"}
    ccid = (await api.post("/calls", body)).json()["data"]["call_control_id"]
    response = await api.post(f"/calls/{ccid}/actions/answer", {})
    assert response.status_code == 422
    assert error_of(response)["code"] == "90102"
    await api.post(f"/calls/{ccid}/actions/hangup", {})


async def test_command_needing_an_answered_call_is_90034(sim, receiver, api):
    ccid = await sim.place_inbound_call(from_="+13125550151", ring_secs=600)
    body = {"format": "wav", "channels": "single"}
    response = await api.post(f"/calls/{ccid}/actions/record_start", body)
    assert response.status_code == 422
    assert error_of(response)["code"] == "90034"
    conf = await api.post("/conferences", {"call_control_id": ccid, "name": "early"})
    assert error_of(conf)["code"] == "90034"


async def test_reject_requires_a_valid_cause(sim, receiver, api):
    ccid = await sim.place_inbound_call(from_="+13125550152", ring_secs=600)
    response = await api.post(f"/calls/{ccid}/actions/reject", {"cause": "NOPE"})
    assert error_of(response)["code"] == "10032"
    await api.post(f"/calls/{ccid}/actions/reject", {"cause": "USER_BUSY"})
    hangup = await receiver.wait_event("call.hangup", ccid)
    assert hangup.payload["hangup_cause"] == "user_busy"


async def test_conference_errors_90019_90044_90058(sim, receiver, api):
    ccid = await answered_inbound(sim, receiver, api)
    conf_id = (await api.post("/conferences", {"call_control_id": ccid, "name": "c"})).json()[
        "data"
    ]["id"]
    again = await api.post(f"/conferences/{conf_id}/actions/join", {"call_control_id": ccid})
    assert again.status_code == 422 and error_of(again)["code"] == "90044"
    missing = await api.post(f"/conferences/{conf_id}/actions/unhold", {})
    assert error_of(missing)["code"] == "10004"
    assert error_of(missing)["source"]["pointer"] == "/call_control_ids"
    await api.post(f"/conferences/{conf_id}/actions/end", {})
    ended = await api.post(f"/conferences/{conf_id}/actions/mute", {})
    assert ended.status_code == 422 and error_of(ended)["code"] == "90019"
    unknown = await api.get("/conferences/3fa85f64-5717-4562-b3fc-2c963f66afa6")
    assert unknown.status_code == 404 and error_of(unknown)["code"] == "90058"


async def test_queue_errors_90035_90036_90038(sim, receiver, api):
    first = await answered_inbound(sim, receiver, api)
    second = await answered_inbound(sim, receiver, api)
    response = await api.post(f"/calls/{first}/actions/leave_queue", {})
    assert error_of(response)["code"] == "90035"
    body = {"queue_name": "tiny", "max_size": 1}
    assert (await api.post(f"/calls/{first}/actions/enqueue", body)).status_code == 200
    twice = await api.post(f"/calls/{first}/actions/enqueue", body)
    assert error_of(twice)["code"] == "90038"
    full = await api.post(f"/calls/{second}/actions/enqueue", body)
    assert error_of(full)["code"] == "90036"


async def test_invalid_loop_and_digits(sim, receiver, api):
    ccid = await answered_inbound(sim, receiver, api)
    loop = await api.post(
        f"/calls/{ccid}/actions/playback_start", {"audio_url": "https://x/a.mp3", "loop": 0}
    )
    assert error_of(loop)["code"] == "90009"
    dtmf = await api.post(f"/calls/{ccid}/actions/send_dtmf", {"digits": "12x"})
    assert error_of(dtmf)["source"]["pointer"] == "/digits"


@pytest.mark.parametrize("faults", [Faults(rate_limit_per_second=2)])
async def test_rate_limit_answers_429_with_retry_after(sim, api):
    statuses = [(await api.get("/queues")) for _ in range(5)]
    limited = [r for r in statuses if r.status_code == 429]
    assert limited, [r.status_code for r in statuses]
    assert limited[0].headers["Retry-After"] == "1"
    assert error_of(limited[0])["code"] == "10011"


@pytest.mark.parametrize("faults", [Faults(api_5xx_rate=1.0)])
async def test_injected_server_errors(sim, api):
    response = await api.get("/calls/v3:any")
    assert response.status_code in (500, 503)
    assert error_of(response)["code"]
