"""Issue #5, the operator's main path: an inbound call rings → Answer → Hold (music) → Unhold →
Mute → Record (the recording appears) → Transfer → Hang up, through the real window."""

from __future__ import annotations

import httpx
import pytest

from console.simulator import phones
from console.state.entities import CallState, RecordingState
from tests.e2e.operator import Operator


@pytest.fixture
def op(qtbot, window, session, transport):
    return Operator(qtbot, window, session, transport)


def test_inbound_call_answer_hold_unhold_mute_record_transfer_hangup(op, window, session):
    store, sim = session.store, session.simulator
    panel = window.recordings_panel  # the Recordings dock
    ccid = op.inbound(from_="+13125550142", caller_name="Pat Caller")
    assert op.row(ccid)["party"] == "Pat Caller <+13125550142>"
    assert op.truth()["calls"][ccid]["state"] == "parked"  # ringing at the console

    # Answer: pending at once, the row confirmed by the call.answered webhook.
    op.act("answer", ccid, pending="answering…")
    op.wait_state(ccid, "Answered")
    assert op.truth()["calls"][ccid]["answered"] is True

    # Hold: the call moves into its own conference; the caller hears the hold music.
    op.act("hold", ccid, pending="holding…")
    op.wait(lambda: "On hold" in op.flags(ccid))
    assert op.state(ccid).startswith("On hold ")  # a held 1:1 call, with its hold timer
    assert window.actions.hold.isChecked() and window.actions.hold.text() == "Unh&old"
    cid = store.call(ccid).conference_id
    op.wait(lambda: op.conference_rows().get(cid) == {ccid: "On hold"})
    truth = op.truth()
    assert truth["calls"][ccid]["conference_id"] == cid
    assert truth["conferences"][cid]["participants"][ccid]["on_hold"] is True
    (hold_request,) = op.transport.posts(f"/conferences/{cid}/actions/hold")
    assert hold_request.body["audio_url"] == sim.hold_music_url
    assert hold_request.body["call_control_ids"] == [ccid]
    music = op.run(_get(sim.hold_music_url))
    assert music.status_code == 200 and music.content[:4] == b"RIFF"  # real music, a WAV

    # Unhold.
    op.act("hold", ccid, pending="taking off hold…")
    op.wait(lambda: "On hold" not in op.flags(ccid))
    assert op.truth()["conferences"][cid]["participants"][ccid]["on_hold"] is False
    op.wait(lambda: op.conference_rows()[cid] == {ccid: "Talking"})

    # Mute.
    op.act("mute", ccid, pending="muting…")
    op.wait(lambda: "Muted" in op.flags(ccid))
    assert op.truth()["conferences"][cid]["participants"][ccid]["muted"] is True
    op.wait(lambda: op.conference_rows()[cid] == {ccid: "Muted"})

    # Record, then stop: the saved recording appears.
    op.act("record", ccid, pending="starting recording…")
    op.wait(lambda: "Rec" in op.flags(ccid))
    assert op.truth()["calls"][ccid]["recording"] is True
    assert window.actions.record.text() == "Stop re&cording"
    op.act("record", ccid, pending="stopping…")
    op.wait(lambda: panel.model.rowCount() == 1)
    assert "Rec" not in op.flags(ccid)
    recording = store.call(ccid).recordings[0]
    assert panel.model.row(0).url == recording.url and panel.model.row(0).owner_id == ccid
    assert store.call(ccid).recording is RecordingState.OFF
    assert op.run(_get(recording.url)).status_code == 200

    # Blind transfer: typed like an operator would; the caller is connected to the target.
    task = op.prompt("transfer", "(312) 555-0100", ccid)
    assert op.state(ccid) == "transferring…"
    op.finish(task)
    op.wait(lambda: store.call(ccid).state is CallState.BRIDGED)
    op.wait_state(ccid, "Bridged")
    truth = op.truth()
    target = truth["calls"][ccid]["bridged_with"]
    assert target in truth["calls"] and truth["calls"][target]["to"] == phones.ANSWERS
    assert truth["calls"][ccid]["conference_id"] is None

    # Hang up: the row stays a while, ended, with its cause in words.
    op.act("hangup", ccid, pending="hanging up…")
    op.wait_state(ccid, "Ended")
    assert op.ended(ccid) == "Hung up by you"  # the operator ended it, and the row says so
    op.settle()
    assert ccid not in op.truth()["calls"] and ccid in op.truth()["ended_calls"]
    # Every webhook of the call is in the event log, in arrival order.
    log = window.event_log.model
    op.wait(lambda: "call.hangup" in [e.event_type for e in log.entries()])
    types = [e.event_type for e in log.entries() if e.call_control_id == ccid]
    assert types[0] == "call.initiated" and "call.answered" in types
    assert types.index("call.answered") < types.index("call.recording.saved")
    assert not [e for e in log.entries() if e.rejected]
    assert op.errors == []


async def _get(url: str) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.get(url)
