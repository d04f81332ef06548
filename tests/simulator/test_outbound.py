"""Outbound dials resolve by destination (phones.py): answer, busy, no answer, reject, hang-up."""

from __future__ import annotations

import pytest

from console.simulator import phones

pytestmark = pytest.mark.anyio


async def dial(api, sim, to, **extra):
    body = {"connection_id": sim.connection_id, "to": to, "from": sim.from_numbers[0], **extra}
    response = await api.post("/calls", body)
    assert response.status_code == 200, response.text
    return response.json()["data"]["call_control_id"]


@pytest.mark.parametrize(
    ("to", "cause", "source", "sip"),
    [
        (phones.BUSY, "user_busy", "callee", "486"),
        (phones.REJECTS, "call_rejected", "callee", "603"),
        (phones.NOT_FOUND, "not_found", "callee", "404"),
        (phones.SIP_BUSY, "user_busy", "callee", "486"),
    ],
)
async def test_failed_dials_report_the_hangup_cause(sim, receiver, api, to, cause, source, sip):
    ccid = await dial(api, sim, to)
    hangup = await receiver.wait_event("call.hangup", ccid)
    assert hangup.payload["hangup_cause"] == cause
    assert hangup.payload["hangup_source"] == source
    assert hangup.payload["sip_hangup_cause"] == sip
    assert receiver.types_for(ccid) == ["call.initiated", "call.hangup"]
    initiated = receiver.events("call.initiated", ccid)[0]
    assert initiated.payload["direction"] == "outgoing"
    assert ccid not in sim.truth()["calls"]


async def test_no_answer_hangs_up_with_timeout_after_timeout_secs(sim, receiver, api):
    ccid = await dial(api, sim, phones.NO_ANSWER, timeout_secs=5)
    hangup = await receiver.wait_event("call.hangup", ccid)
    assert hangup.payload["hangup_cause"] == "timeout"
    started = receiver.events("call.initiated", ccid)[0].data["occurred_at"]
    assert hangup.data["occurred_at"] > started


async def test_answers_then_remote_hangs_up(sim, receiver, api):
    ccid = await dial(api, sim, phones.ANSWERS_THEN_HANGS_UP)
    hangup = await receiver.wait_event("call.hangup", ccid)
    assert receiver.types_for(ccid) == ["call.initiated", "call.answered", "call.hangup"]
    assert hangup.payload["hangup_cause"] == "normal_clearing"
    assert hangup.payload["hangup_source"] == "callee"


async def test_other_numbers_and_sip_uris_answer_and_stay_up(sim, receiver, api):
    number = await dial(api, sim, "+14155550123")
    sip = await dial(api, sim, phones.SIP_ANSWERS)
    await receiver.wait_event("call.answered", number)
    await receiver.wait_event("call.answered", sip)
    await sim.wait_idle()
    assert sim.truth()["calls"][number]["state"] == "active"
    status = await api.get(f"/calls/{sip}")
    assert status.json()["data"]["is_alive"] is True


async def test_hangup_while_ringing_is_originator_cancel(sim, receiver, api):
    ccid = await dial(api, sim, phones.NO_ANSWER)
    await receiver.wait_event("call.initiated", ccid)
    await api.post(f"/calls/{ccid}/actions/hangup", {})
    hangup = await receiver.wait_event("call.hangup", ccid)
    assert hangup.payload["hangup_cause"] == "originator_cancel"


async def test_bridge_two_calls_and_hangup_one(sim, receiver, api):
    a = await dial(api, sim, phones.ANSWERS)
    b = await dial(api, sim, "+14155550124")
    await receiver.wait_event("call.answered", a)
    await receiver.wait_event("call.answered", b)
    response = await api.post(
        f"/calls/{a}/actions/bridge", {"call_control_id": b, "park_after_unbridge": "self"}
    )
    assert response.status_code == 200
    await receiver.wait_event("call.bridged", a)
    await receiver.wait_event("call.bridged", b)
    await api.post(f"/calls/{b}/actions/hangup", {})
    await receiver.wait_event("call.hangup", b)
    await sim.wait_idle()
    assert sim.truth()["calls"][a]["state"] == "active"  # parked after unbridge, not hung up


async def test_failed_transfer_leaves_the_original_call_up(sim, receiver, api):
    a = await dial(api, sim, phones.ANSWERS)
    await receiver.wait_event("call.answered", a)
    await api.post(f"/calls/{a}/actions/transfer", {"to": phones.BUSY})
    new_leg = await receiver.wait_for(
        lambda: [r for r in receiver.events("call.hangup") if r.payload["call_control_id"] != a]
    )
    assert new_leg[0].payload["hangup_cause"] == "user_busy"
    await sim.wait_idle()
    assert sim.truth()["calls"][a]["state"] == "active"


async def test_active_calls_are_cursor_paginated(sim, receiver, api):
    ids = {await dial(api, sim, "+1415555013" + str(i)) for i in range(3)}
    first = await api.get(f"/connections/{sim.connection_id}/active_calls?page[limit]=2")
    body = first.json()
    assert len(body["data"]) == 2 and body["meta"]["total_items"] == 3
    after = body["meta"]["cursors"]["after"]
    second = await api.get(
        f"/connections/{sim.connection_id}/active_calls", params={"page[after]": after}
    )
    seen = {c["call_control_id"] for c in body["data"] + second.json()["data"]}
    assert seen == ids
    assert "after" not in second.json()["meta"]["cursors"]
