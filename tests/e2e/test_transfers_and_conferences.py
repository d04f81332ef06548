"""Issue #5: an attended transfer completed and one cancelled; a conference of three with one
participant muted and one kicked; an outbound busy call that ends with its cause shown."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from console.simulator import phones
from console.state.entities import CallState
from tests.e2e.operator import Operator


@pytest.fixture
def op(qtbot, window, session, transport):
    return Operator(qtbot, window, session, transport)


def start_attended_transfer(op: Operator, caller: str, target: str):
    """Consult ``target`` while the caller waits on hold; returns the transfer in progress."""
    task = op.prompt("attended_transfer", target, caller)
    assert op.state(caller) == "consulting…"
    op.finish(task)
    (transfer,) = [t for t in op.session.ops.transfers if not t.state.is_final]
    consult = transfer.consult_call_control_id
    op.wait_state(consult, "In conference")
    op.wait(lambda: "On hold" in op.flags(caller))
    assert op.row(consult)["party"] == target
    participants = op.truth()["conferences"][transfer.conference_id]["participants"]
    assert participants[caller]["on_hold"] is True
    assert participants[consult]["status"] == "joined"
    op.wait(lambda: op.window.actions.complete_transfer.isEnabled())
    assert op.window.actions.cancel_transfer.isEnabled()
    assert not op.window.actions.attended_transfer.isEnabled()  # one at a time
    return transfer


def test_attended_transfer_completed(op, session):
    caller = op.answered_inbound()
    transfer = start_attended_transfer(op, caller, phones.ANSWERS)
    consult = transfer.consult_call_control_id

    op.window.select_calls([caller])
    task = op.press("complete_transfer")
    assert op.state(caller) == op.state(consult) == "completing transfer…"
    op.finish(task)

    op.wait(lambda: "On hold" not in op.flags(caller))
    assert op.state(caller) == op.state(consult) == "In conference"
    participants = op.truth()["conferences"][transfer.conference_id]["participants"]
    assert participants[caller] == {"muted": False, "on_hold": False, "status": "joined"}
    assert participants[consult]["status"] == "joined"
    op.wait(
        lambda: (
            op.conference_rows()[transfer.conference_id] == {caller: "Talking", consult: "Talking"}
        )
    )
    assert not op.window.actions.complete_transfer.isEnabled()
    assert not op.window.actions.cancel_transfer.isEnabled()
    assert op.errors == []


def test_attended_transfer_cancelled(op, session):
    caller = op.answered_inbound()
    transfer = start_attended_transfer(op, caller, phones.SIP_ANSWERS)
    consult = transfer.consult_call_control_id

    op.window.select_calls([consult])
    task = op.press("cancel_transfer")
    assert op.state(caller) == op.state(consult) == "cancelling transfer…"
    op.finish(task)

    op.wait_state(consult, "Ended")  # the consultation is hung up...
    op.wait(lambda: "On hold" not in op.flags(caller))  # ...and the caller is back
    assert op.state(caller) == "Answered"  # alone in its own conference: a 1:1 call again
    assert session.store.call(caller).is_live
    op.settle()
    truth = op.truth()
    assert consult not in truth["calls"]
    assert truth["calls"][caller]["on_hold"] is False
    assert truth["conferences"][transfer.conference_id]["participants"][caller]["on_hold"] is False
    assert not op.window.actions.cancel_transfer.isEnabled()
    op.window.select_calls([caller])
    assert op.window.actions.attended_transfer.isEnabled()  # free to try again
    assert op.errors == []


def test_conference_of_three_one_muted_one_kicked(op, window, session):
    store = session.store
    a = op.answered_inbound(from_="+13125550142", caller_name="Ann")
    b = op.answered_inbound(from_="+13125550143", caller_name="Bob")

    op.act("merge", a, b, pending="merging…")
    cid = store.call(a).conference_id
    assert cid and store.call(b).conference_id == cid
    op.wait(lambda: op.conference_rows().get(cid) == {a: "Talking", b: "Talking"})
    op.wait_state(a, "In conference")
    op.wait_state(b, "In conference")

    window.select_conference(cid)
    task = op.prompt("add_participant", phones.ANSWERS)
    op.finish(task)
    op.wait(lambda: len(op.conference_rows()[cid]) == 3)
    (c,) = set(op.conference_rows()[cid]) - {a, b}
    assert op.row(c)["party"] == phones.ANSWERS and op.state(c) == "In conference"
    assert op.conference_title(cid)[1] == "3 participants"
    assert set(op.truth()["conferences"][cid]["participants"]) == {a, b, c}

    # Mute only Bob.
    op.act("mute", b, pending="muting…")
    op.wait(lambda: op.conference_rows()[cid] == {a: "Talking", b: "Muted", c: "Talking"})
    assert "Muted" in op.flags(b)
    assert "Muted" not in op.flags(a) and "Muted" not in op.flags(c)
    muted = {k: v["muted"] for k, v in op.truth()["conferences"][cid]["participants"].items()}
    assert muted == {a: False, b: True, c: False}

    # Kick only the added participant, chosen in the conferences panel.
    window.select_conference(cid, c)
    task = op.press("kick")
    assert op.state(c) == "removing…"
    op.finish(task)
    op.wait_state(c, "Ended")
    op.wait(lambda: op.conference_rows()[cid] == {a: "Talking", b: "Muted"})
    assert op.conference_title(cid)[1] == "2 participants"
    assert op.state(a) == op.state(b) == "In conference"
    op.settle()
    truth = op.truth()
    assert c not in truth["calls"]
    assert {
        k for k, v in truth["conferences"][cid]["participants"].items() if v["status"] == "joined"
    } == {a, b}
    assert op.errors == []


def test_adding_a_busy_number_says_so_and_leaves_the_conference_alone(op, window, session):
    a = op.answered_inbound()
    op.act("hold", a, pending="holding…")
    cid = session.store.call(a).conference_id
    op.wait(lambda: op.conference_rows().get(cid) == {a: "On hold"})
    window.select_conference(cid)

    op.finish(op.prompt("add_participant", phones.BUSY), ok=False)

    text = op.errors[-1]
    assert text.startswith("Add participant failed: ") and "busy" in text.lower(), text
    assert op.conference_rows()[cid] == {a: "On hold"}
    assert set(op.truth()["conferences"][cid]["participants"]) == {a}


def test_outbound_busy_call_ends_with_its_cause(op, qtbot, window, session):
    dialer = window.dialer
    assert dialer.from_combo.currentText() in session.simulator.from_numbers
    qtbot.keyClicks(dialer.destination_edit, phones.BUSY)
    assert dialer.dial_button.isEnabled() and not dialer.error_label.text()
    before = set(window.calls_model.ccids())
    qtbot.mouseClick(dialer.dial_button, Qt.MouseButton.LeftButton)
    op.finish(window.actions.last_task)

    op.wait(lambda: set(window.calls_model.ccids()) - before)
    (ccid,) = set(window.calls_model.ccids()) - before
    assert op.row(ccid)["party"] == phones.BUSY
    op.wait_state(ccid, "Ended")
    assert op.ended(ccid) == "Busy"
    assert session.store.call(ccid).state is CallState.ENDED
    assert op.truth()["ended_calls"][ccid]["hangup_cause"] == "user_busy"
    (dial,) = op.transport.posts("/v2/calls")
    assert dial.body["to"] == phones.BUSY
    # The outcome is said in words (issue #12), not "Dial: done".
    op.wait(lambda: op.errors == [f"Call to {phones.BUSY}: Busy"])
