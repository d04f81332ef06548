"""The rest of the operator's buttons on the real session: reject, pause recording, DTMF from
the pad, bridge, end conference, and calls that end on the far side."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.e2e.operator import Operator


@pytest.fixture
def op(qtbot, window, session, transport):
    return Operator(qtbot, window, session, transport)


def test_reject_a_ringing_call(op):
    ccid = op.inbound()
    op.act("reject", ccid, pending="rejecting…")
    op.wait_state(ccid, "Ended")
    assert op.ended(ccid) == "Rejected by you"
    assert op.truth()["ended_calls"][ccid]["hangup_cause"] == "call_rejected"
    assert op.errors == []


def test_caller_gives_up_ringing_and_hangs_up_after_answer(op, session):
    ringing = op.run(session.simulator.place_inbound_call(from_="+13125550150", ring_secs=2.0))
    op.wait_state(ringing, "Ended")
    assert op.ended(ringing) == "Cancelled by caller"

    talking = op.answered_inbound(from_="+13125550151")
    session.simulator.remote_hangup(talking)
    op.wait_state(talking, "Ended")
    assert op.ended(talking).startswith("Completed")
    assert op.errors == []


def test_pause_and_resume_recording(op, window):
    ccid = op.answered_inbound()
    op.act("record", ccid, pending="starting recording…")
    op.wait(lambda: "Recording" in op.flags(ccid))
    assert window.actions.record_pause.isEnabled()

    op.act("record_pause", ccid, pending="pausing…")
    op.wait(lambda: "Recording paused" in op.flags(ccid))
    assert window.actions.record_pause.isChecked()

    op.act("record_pause", ccid, pending="resuming…")
    op.wait(lambda: "Recording" in op.flags(ccid))
    op.act("record", ccid, pending="stopping…")
    op.wait(lambda: op.session.store.call(ccid).recordings)
    assert op.errors == []


def test_dial_pad_sends_dtmf_to_the_selected_call(op, qtbot, window):
    ccid = op.answered_inbound()
    window.select_calls([ccid])
    assert "DTMF" in window.dialer.mode_label.text()
    for key in ("4", "2", "#"):
        qtbot.mouseClick(window.dialer.pad_buttons[key], Qt.MouseButton.LeftButton)
    op.wait(window.actions.idle)
    sent = [r.body["digits"] for r in op.transport.posts(f"/calls/{ccid}/actions/send_dtmf")]
    assert sent == ["4", "2", "#"]
    assert window.dialer.destination_edit.text() == ""  # the pad did not type
    assert op.errors == []


def test_bridge_two_calls_then_end_their_conference(op, window, session):
    a = op.answered_inbound(from_="+13125550142")
    b = op.answered_inbound(from_="+13125550143")
    op.act("bridge", a, b, pending="bridging…")
    op.wait_state(a, "Bridged")
    op.wait_state(b, "Bridged")
    assert op.truth()["calls"][a]["bridged_with"] == b

    # Holding one party of the bridge keeps the other: both move into one conference.
    op.act("hold", b, pending="holding…")
    op.wait(lambda: "On hold" in op.flags(b))
    cid = session.store.call(b).conference_id
    op.wait(lambda: op.conference_rows().get(cid) == {a: "Talking", b: "On hold"})
    assert op.state(a) == "In conference" and op.state(b).startswith("On hold ")

    window.select_conference(cid)
    op.act("end_conference")
    op.wait(lambda: cid not in op.conference_rows())
    op.wait_state(a, "Ended")
    op.wait_state(b, "Ended")
    op.settle()
    assert op.truth()["conferences"][cid]["status"] == "completed"
    assert op.errors == []
    assert a not in op.window.pending
