"""The main operator flow, end to end, with every webhook and response checked against the spec."""

from __future__ import annotations

import base64

import httpx
import pytest

from console.simulator import phones

pytestmark = pytest.mark.anyio

STATE = base64.b64encode(b"operator-1").decode()


async def test_inbound_answer_conference_hold_mute_record_transfer_hangup(sim, receiver, api):
    ccid = await sim.place_inbound_call(
        from_="+13125550142", caller_name="Ada Lovelace", ring_secs=600
    )
    initiated = await receiver.wait_event("call.initiated", ccid)
    assert initiated.payload["direction"] == "incoming"
    assert initiated.payload["state"] == "parked"
    assert initiated.payload["caller_id_name"] == "Ada Lovelace"
    assert initiated.payload["connection_id"] == sim.connection_id
    assert initiated.attempt == 1 and initiated.body["meta"]["delivered_to"] == receiver.url

    response = await api.post(f"/calls/{ccid}/actions/answer", {"client_state": STATE})
    assert response.status_code == 200 and response.json()["data"]["result"] == "ok"
    answered = await receiver.wait_event("call.answered", ccid)
    assert answered.payload["client_state"] == STATE

    # An agent leg dialled out, then both in one conference.
    response = await api.post(
        "/calls",
        {"connection_id": sim.connection_id, "to": phones.ANSWERS, "from": sim.from_numbers[0]},
    )
    assert response.status_code == 200
    agent = response.json()["data"]["call_control_id"]
    assert response.json()["data"]["is_alive"] is False
    await receiver.wait_event("call.answered", agent)

    response = await api.post("/conferences", {"call_control_id": ccid, "name": "support-1"})
    assert response.status_code == 200
    conf_id = response.json()["data"]["id"]
    created = await receiver.wait_event("conference.created", ccid)
    assert "occurred_at" in created.payload and "occurred_at" not in created.data
    assert created.payload["conference_id"] == conf_id
    await receiver.wait_event("conference.participant.joined", ccid)
    response = await api.post(f"/conferences/{conf_id}/actions/join", {"call_control_id": agent})
    assert response.status_code == 200
    joined = await receiver.wait_event("conference.participant.joined", agent)
    assert joined.data["occurred_at"]

    # hold/unhold and mute/unmute one participant; the other stays unchanged
    response = await api.post(f"/conferences/{conf_id}/actions/hold", {"call_control_ids": [ccid]})
    assert response.status_code == 200
    await _expect_flags(api, conf_id, {ccid: (False, True), agent: (False, False)})
    await api.post(f"/conferences/{conf_id}/actions/mute", {"call_control_ids": [agent]})
    await _expect_flags(api, conf_id, {ccid: (False, True), agent: (True, False)})
    truth = sim.truth()["conferences"][conf_id]["participants"]
    assert truth[ccid] == {"muted": False, "on_hold": True, "status": "joined"}
    await api.post(f"/conferences/{conf_id}/actions/unhold", {"call_control_ids": [ccid]})
    await api.post(f"/conferences/{conf_id}/actions/unmute", {"call_control_ids": [agent]})
    await _expect_flags(api, conf_id, {ccid: (False, False), agent: (False, False)})

    # conference recording start/stop -> conference.recording.saved with a downloadable WAV
    response = await api.post(f"/conferences/{conf_id}/actions/record_start", {"format": "wav"})
    assert response.status_code == 200
    await api.post(f"/conferences/{conf_id}/actions/record_stop", {})
    saved = await receiver.wait_event("conference.recording.saved")
    wav_url = saved.payload["recording_urls"]["wav"]
    async with httpx.AsyncClient() as plain:
        media = await plain.get(wav_url)
    assert media.status_code == 200
    assert media.content[:4] == b"RIFF" and media.content[8:12] == b"WAVE"
    recording = await api.get(f"/recordings/{saved.payload['recording_id']}")
    assert recording.status_code == 200
    assert recording.json()["data"]["source"] == "conference"

    # blind transfer of the caller: the new leg rings, answers, both legs get call.bridged
    response = await api.post(f"/calls/{ccid}/actions/transfer", {"to": phones.ANSWERS})
    assert response.status_code == 200
    bridged = await receiver.wait_event("call.bridged", ccid)
    new_leg = next(
        r.payload["call_control_id"]
        for r in receiver.events("call.initiated")
        if r.payload["call_control_id"] not in (ccid, agent)
    )
    await receiver.wait_event("call.bridged", new_leg)
    assert bridged.payload["call_session_id"] == initiated.payload["call_session_id"]
    await receiver.wait_event("conference.participant.left", ccid)
    assert sim.truth()["calls"][ccid]["bridged_with"] == new_leg

    # hang up the caller: the bridged new leg is hung up too (default after unbridge)
    response = await api.post(f"/calls/{ccid}/actions/hangup", {})
    assert response.status_code == 200
    hangup = await receiver.wait_event("call.hangup", ccid)
    assert hangup.payload["hangup_cause"] == "normal_clearing"
    await receiver.wait_event("call.hangup", new_leg)
    status = await api.get(f"/calls/{ccid}")
    assert status.json()["data"]["is_alive"] is False

    # the agent is still alone in the conference; end it: participant left + conference.ended,
    # and the participant is hung up ("End a conference and terminate all active participants")
    await api.post(f"/conferences/{conf_id}/actions/end", {})
    ended = await receiver.wait_event("conference.ended")
    assert ended.payload["reason"] in ("all_left", "host_left", "time_exceeded")
    await receiver.wait_event("conference.participant.left", agent)
    hangup = await receiver.wait_event("call.hangup", agent)
    assert hangup.payload["hangup_cause"] == "normal_clearing"
    assert agent not in sim.truth()["calls"]
    await sim.wait_idle()
    _assert_ordered(receiver, ccid)


async def _expect_flags(api, conf_id, expected):
    response = await api.get(f"/conferences/{conf_id}/participants")
    assert response.status_code == 200
    flags = {p["call_control_id"]: (p["muted"], p["on_hold"]) for p in response.json()["data"]}
    for ccid, want in expected.items():
        assert flags[ccid] == want


def _assert_ordered(receiver, ccid):
    stamps = [
        r.data.get("occurred_at") or r.payload["occurred_at"] for r in receiver.events(ccid=ccid)
    ]
    assert stamps == sorted(stamps)
