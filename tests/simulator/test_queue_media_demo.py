"""Queues, call recordings and media, playback/speak/gather, demo traffic and the CLI."""

from __future__ import annotations

import io
import wave

import httpx
import pytest

from console.simulator import demo, phones
from console.simulator.__main__ import build_parser
from console.simulator.errors import TelnyxError

from .conftest import assert_webhooks_match_spec

pytestmark = pytest.mark.anyio


async def answered_inbound(sim, receiver, api, number: str) -> str:
    ccid = await sim.place_inbound_call(from_=number, ring_secs=600)
    await api.post(f"/calls/{ccid}/actions/answer", {})
    await receiver.wait_event("call.answered", ccid)
    return ccid


async def test_a_call_through_a_queue(sim, receiver, api):
    first = await answered_inbound(sim, receiver, api, "+13125550170")
    second = await answered_inbound(sim, receiver, api, "+13125550171")
    await api.post(f"/calls/{first}/actions/enqueue", {"queue_name": "support"})
    await api.post(f"/calls/{second}/actions/enqueue", {"queue_name": "support"})
    one = await receiver.wait_event("call.enqueued", first)
    two = await receiver.wait_event("call.enqueued", second)
    assert (one.payload["current_position"], two.payload["current_position"]) == (1, 2)
    assert one.payload["queue"] == "support" and "queue_avg_wait_time_secs" in two.payload

    calls = (await api.get("/queues/support/calls")).json()
    assert [c["queue_position"] for c in calls["data"]] == [1, 2]
    queue = (await api.get("/queues/support")).json()["data"]
    assert queue["current_size"] == 2

    await api.post(f"/calls/{first}/actions/leave_queue", {})
    left = await receiver.wait_event("call.dequeued", first)
    assert (left.payload["reason"], left.payload["queue_position"]) == ("leave", 1)
    assert left.payload["wait_time_secs"] >= 0
    moved = (await api.get(f"/queues/support/calls/{second}")).json()["data"]
    assert moved["queue_position"] == 1

    # an agent takes the head of the queue with bridge {queue}
    agent = (
        await api.post(
            "/calls",
            {"connection_id": sim.connection_id, "to": phones.ANSWERS, "from": "+13125550199"},
        )
    ).json()["data"]["call_control_id"]
    await receiver.wait_event("call.answered", agent)
    await api.post(f"/calls/{agent}/actions/bridge", {"call_control_id": agent, "queue": "support"})
    taken = await receiver.wait_event("call.dequeued", second)
    assert taken.payload["reason"] == "bridged"
    await receiver.wait_event("call.bridged", second)
    assert sim.truth()["queues"]["support"] == []
    listed = (await api.get("/queues")).json()
    assert listed["meta"]["total_results"] == 1


async def test_queue_rest_crud(api):
    created = await api.post("/queues", {"queue_name": "sales", "max_size": 5})
    assert created.status_code == 200 and created.json()["data"]["max_size"] == 5
    updated = await api.post("/queues/sales", {"max_size": 9})
    assert updated.json()["data"]["max_size"] == 9
    assert (await api.delete("/queues/sales")).status_code == 204
    assert (await api.get("/queues/sales")).status_code == 404


async def test_call_recording_pause_resume_hangup_saves_a_wav(sim, receiver, api):
    ccid = await answered_inbound(sim, receiver, api, "+13125550172")
    body = {"format": "mp3", "channels": "dual"}
    assert (await api.post(f"/calls/{ccid}/actions/record_start", body)).status_code == 200
    twice = await api.post(f"/calls/{ccid}/actions/record_start", body)
    assert twice.status_code == 422
    await api.post(f"/calls/{ccid}/actions/record_pause", {})
    await api.post(f"/calls/{ccid}/actions/record_resume", {})
    await api.post(f"/calls/{ccid}/actions/hangup", {})  # hangup during recording saves it
    saved = await receiver.wait_event("call.recording.saved", ccid)
    assert receiver.types_for(ccid)[-2:] == ["call.hangup", "call.recording.saved"]
    urls = saved.payload["recording_urls"]
    async with httpx.AsyncClient() as plain:
        wav = await plain.get(urls["wav"])
        mp3 = await plain.get(urls["mp3"])
    assert wav.content[:4] == b"RIFF" and wav.headers["content-type"] == "audio/wav"
    assert mp3.content[:2] == b"\xff\xfb"
    listed = await api.get("/recordings", params={"filter[call_control_id]": ccid})
    data = listed.json()["data"]
    assert [r["id"] for r in data] == [saved.payload["recording_id"]]
    assert data[0]["download_urls"]["wav"] == urls["wav"]


async def test_playback_speak_gather_and_dtmf(sim, receiver, api):
    ccid = await answered_inbound(sim, receiver, api, "+13125550173")
    audio = {"audio_url": "https://example.com/hold.mp3"}
    await api.post(f"/calls/{ccid}/actions/playback_start", {**audio, "loop": "infinity"})
    await receiver.wait_event("call.playback.started", ccid)
    await api.post(f"/calls/{ccid}/actions/playback_stop", {})
    ended = await receiver.wait_event("call.playback.ended", ccid)
    assert ended.payload["status"] == "cancelled"
    await api.post(f"/calls/{ccid}/actions/speak", {"payload": "Hello", "voice": "female"})
    spoken = await receiver.wait_event("call.speak.ended", ccid)
    assert spoken.payload["status"] == "completed"
    assert (
        await api.post(f"/calls/{ccid}/actions/send_dtmf", {"digits": "1w2#"})
    ).status_code == 200
    await api.post(f"/calls/{ccid}/actions/gather_using_audio", {**audio, "maximum_digits": 1})
    gathered = await receiver.wait_event("call.gather.ended", ccid)
    assert (gathered.payload["digits"], gathered.payload["status"]) == ("1", "valid")
    await sim.wait_idle()
    assert receiver.events("call.dtmf.received", ccid)
    state = "dGFnZ2Vk"
    response = await api.put(f"/calls/{ccid}/actions/client_state_update", {"client_state": state})
    assert response.status_code == 200
    await api.post(f"/calls/{ccid}/actions/hangup", {})
    hangup = await receiver.wait_event("call.hangup", ccid)
    assert hangup.payload["client_state"] == state


async def test_participant_endpoints_and_conference_media(sim, receiver, api):
    ccid = await answered_inbound(sim, receiver, api, "+13125550174")
    conf = (await api.post("/conferences", {"call_control_id": ccid, "name": "m"})).json()["data"]
    one = await api.get(f"/conferences/{conf['id']}/participants/{ccid}")
    assert one.status_code == 200 and one.json()["data"]["call_control_id"] == ccid
    patched = await api.patch(
        f"/conferences/{conf['id']}/participants/{ccid}", {"end_conference_on_exit": True}
    )
    assert patched.json()["data"]["end_conference_on_exit"] is True
    await api.post(f"/conferences/{conf['id']}/actions/speak", {"payload": "hi", "voice": "female"})
    await receiver.wait_event("conference.speak.ended")
    await api.post(f"/conferences/{conf['id']}/actions/mute", {})  # empty = everyone
    assert sim.truth()["conferences"][conf["id"]]["participants"][ccid]["muted"] is True
    await api.post(f"/conferences/{conf['id']}/actions/leave", {"call_control_id": ccid})
    ended = await receiver.wait_event("conference.ended")
    assert ended.payload["reason"] == "host_left"
    listed = await api.get("/conferences", params={"filter[status]": "completed"})
    assert listed.json()["data"][0]["end_reason"] == "host_left"


async def test_inbound_call_rings_out_when_unanswered(sim, receiver):
    ccid = await sim.place_inbound_call(from_="+13125550175", ring_secs=1.0)
    hangup = await receiver.wait_event("call.hangup", ccid)
    assert hangup.payload["hangup_cause"] == "originator_cancel"
    assert hangup.payload["hangup_source"] == "caller"


async def test_control_endpoint_places_inbound_calls(sim, receiver, api):
    response = await api.client.post(
        sim.root_url + "/_sim/inbound", json={"from": "+13125550176", "caller_name": "Grace"}
    )
    assert response.status_code == 200
    ccid = response.json()["data"]["call_control_id"]
    got = await receiver.wait_event("call.initiated", ccid)
    assert got.payload["caller_id_name"] == "Grace"
    truth = await api.client.get(sim.root_url + "/_sim/truth")
    assert truth.json()["calls"][ccid]["state"] == "parked"


async def test_demo_traffic_places_calls_with_plausible_callers(sim, receiver):
    sim.start_demo_traffic(rate=600.0)
    await receiver.wait_for(lambda: len(receiver.events("call.initiated")) >= 2)
    sim.stop_demo_traffic()
    for event in receiver.events("call.initiated"):
        assert event.payload["from"].startswith("+")
        assert event.payload["direction"] == "incoming"


async def test_demo_rings_a_first_caller_within_seconds(sim, receiver):
    started = sim.clock.seconds()
    sim.start_demo_traffic(rate=0.001)  # nobody else for ages: only the first caller
    first = await receiver.wait_event("call.initiated")
    sim.stop_demo_traffic()
    # At this rate a random caller would take weeks: the first one is scheduled, a few
    # simulated seconds in (slack for a loaded machine: SPEED makes a second 10 ms here).
    elapsed = sim.clock.seconds() - started
    assert demo.FIRST_CALL_AFTER <= elapsed < 60.0
    assert demo.FIRST_CALL_AFTER <= 5.0
    assert first.payload["to"] == sim.from_numbers[0]
    assert receiver.types_for(first.payload["call_control_id"]) == ["call.initiated"]


async def test_demo_queues_some_callers_for_the_operator_to_pick(sim, receiver, api):
    sim.start_demo_traffic(rate=600.0, first_call_after=None)
    queued = await receiver.wait_event("call.enqueued")
    sim.stop_demo_traffic()
    ccid = queued.payload["call_control_id"]
    # what an application's own answer + enqueue produce, in that order, on the support line
    await receiver.wait_for(lambda: "call.answered" in receiver.types_for(ccid))
    types = receiver.types_for(ccid)
    assert types.index("call.initiated") < types.index("call.answered")
    assert types.index("call.answered") < types.index("call.enqueued")
    assert queued.payload["queue"] == demo.QUEUE_NAME
    initiated = receiver.events("call.initiated", ccid)[0]
    assert initiated.payload["to"] == sim.from_numbers[1]
    waiting = await api.get(f"/queues/{demo.QUEUE_NAME}/calls")
    assert ccid in [c["call_control_id"] for c in waiting.json()["data"]]
    # the console picks it: leave_queue works on it like on any queued call
    await api.post(f"/calls/{ccid}/actions/leave_queue", {})
    left = await receiver.wait_event("call.dequeued", ccid)
    assert left.payload["reason"] == "leave"
    assert_webhooks_match_spec(receiver)


async def test_an_applications_own_command_is_validated_like_the_api(sim, receiver):
    ccid = await sim.place_inbound_call(from_="+13125550170", ring_secs=600)
    with pytest.raises(TelnyxError) as bad:
        sim.call_command(ccid, "enqueue", {})  # queue_name is required
    assert bad.value.status == 422
    with pytest.raises(TelnyxError):
        sim.call_command(ccid, "enqueue", {"queue_name": "support"})  # not answered yet


def test_cli_parses_fault_switches():
    args = build_parser().parse_args(
        [
            "--port",
            "9999",
            "--webhook-url",
            "http://x/h",
            "--speed",
            "10",
            "--duplicate-rate",
            "0.5",
        ]
    )
    assert (args.port, args.speed, args.duplicate_rate) == (9999, 10.0, 0.5)


async def test_hold_music_is_a_playable_wav(sim):
    async with httpx.AsyncClient() as plain:
        response = await plain.get(sim.hold_music_url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    with wave.open(io.BytesIO(response.content)) as music:
        assert music.getnframes() / music.getframerate() >= 3.0
