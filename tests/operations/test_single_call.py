"""One inbound call through answer, hold, mute, recording, blind transfer and hangup."""

from __future__ import annotations

import httpx
import pytest

from console.simulator import phones
from console.state.entities import CallState, RecordingState
from tests.operations.helpers import (
    answered_inbound,
    call_in_state,
    ringing_inbound,
    settle,
    truth_call,
    until,
)

pytestmark = pytest.mark.anyio


async def test_hold_moves_the_call_into_its_own_conference(console):
    ops, store = console.ops, console.store
    ccid = await answered_inbound(console)

    await ops.hold(ccid)

    call = store.call(ccid)
    assert call.state is CallState.IN_CONFERENCE
    assert call.on_hold is True
    conference = store.conference(call.conference_id)
    assert conference.name.startswith("console-call-")
    truth = console.simulator.truth()
    assert truth["calls"][ccid]["conference_id"] == call.conference_id
    assert truth["conferences"][call.conference_id]["participants"][ccid]["on_hold"] is True

    await ops.unhold(ccid)
    assert store.call(ccid).on_hold is False
    assert (
        console.simulator.truth()["conferences"][call.conference_id]["participants"][ccid][
            "on_hold"
        ]
        is False
    )
    assert store.call(ccid).call_control_id == ccid  # the same row all along


async def test_mute_record_transfer_and_hangup(console):
    ops, store, sim = console.ops, console.store, console.simulator
    ccid = await answered_inbound(console)

    await ops.mute(ccid)
    call = store.call(ccid)
    assert call.muted is True
    assert sim.truth()["conferences"][call.conference_id]["participants"][ccid]["muted"] is True
    await ops.unmute(ccid)
    assert store.call(ccid).muted is False

    await ops.record_start(ccid)
    assert store.call(ccid).recording is RecordingState.RECORDING
    await ops.record_pause(ccid)
    assert store.call(ccid).recording is RecordingState.PAUSED
    await ops.record_resume(ccid)
    await ops.record_stop(ccid)
    recording = (await until(console, lambda: store.call(ccid).recordings, "recording saved"))[0]
    assert recording.url
    async with httpx.AsyncClient() as http:
        response = await http.get(recording.url)
    assert response.status_code == 200 and len(response.content) > 100

    await ops.transfer(ccid, phones.ANSWERS)
    await call_in_state(console, ccid, CallState.BRIDGED)
    assert truth_call(console, ccid)["bridged_with"]

    await ops.hangup(ccid)
    ended = await call_in_state(console, ccid, CallState.ENDED)
    assert ended.hangup_cause
    await settle(console)
    assert ccid not in sim.truth()["calls"]


async def test_reject_a_ringing_call(console):
    ccid = await ringing_inbound(console)
    await console.ops.reject(ccid)
    call = await call_in_state(console, ccid, CallState.ENDED)
    assert call.hangup_cause == "call_rejected"


async def test_outbound_busy_call_ends_with_its_cause(console):
    ccid = await console.ops.dial(phones.BUSY)
    call = await call_in_state(console, ccid, CallState.ENDED)
    assert call.hangup_cause == "user_busy"
    assert call.direction == "outgoing"


async def test_audit_log_records_actions(console):
    ccid = await answered_inbound(console)
    await console.ops.hold(ccid)
    entries = console.ops.audit.entries()
    whats = [(e.what, e.result, e.who) for e in entries]
    assert ("answer", "ok", "operator") in whats
    assert ("hold", "ok", "operator") in whats
    assert (console.data_dir / "audit.jsonl").is_file()
