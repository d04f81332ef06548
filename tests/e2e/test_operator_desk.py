"""Issue #12, the operator's desk on the real demo session: one call per Enter, outcomes said
in words, confirmations before destructive actions, truthful transfer feedback."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from console.simulator import phones
from console.ui.calls_model import COL_WHERE
from tests.e2e.operator import Operator


@pytest.fixture
def op(qtbot, window, session, transport):
    return Operator(qtbot, window, session, transport)


def dial_by_enter(op: Operator, qtbot, number: str) -> None:
    dialer = op.window.dialer
    dialer.destination_edit.setFocus()
    qtbot.keyClicks(dialer.destination_edit, number)
    qtbot.keyClick(dialer.destination_edit, Qt.Key.Key_Return)


# --- bug 1: Enter in the To field --------------------------------------------------------


def test_enter_in_the_to_field_places_one_call(op, qtbot, window):
    dial_by_enter(op, qtbot, "+1 312 555 0100")
    op.wait(lambda: op.transport.posts("/v2/calls"))
    op.wait(window.actions.idle)
    op.wait(lambda: len(window.calls_model.ccids()) >= 1)
    op.settle()

    assert len(op.transport.posts("/v2/calls")) == 1
    assert len(window.calls_model.ccids()) == 1
    assert len(op.truth()["calls"]) + len(op.truth()["ended_calls"]) == 1


# --- bug 4: feedback that says what happened ---------------------------------------------


def dial_and_wait_for_the_end(op: Operator, qtbot, number: str) -> str:
    before = set(op.window.calls_model.ccids())
    dial_by_enter(op, qtbot, number)
    op.finish(op.window.actions.last_task)
    op.wait(lambda: set(op.window.calls_model.ccids()) - before)
    (ccid,) = set(op.window.calls_model.ccids()) - before
    return ccid


@pytest.mark.parametrize(
    ("number", "outcome"),
    [
        (phones.BUSY, "Busy"),
        (phones.REJECTS, "Rejected"),
        (phones.NOT_FOUND, "Number not found"),
    ],
)
def test_a_dialled_call_that_fails_says_how_it_ended(op, qtbot, window, number, outcome):
    ccid = dial_and_wait_for_the_end(op, qtbot, number)
    assert window.status.currentMessage() != "Dial: done"
    op.wait_state(ccid, "Ended")

    expected = f"Call to {number}: {outcome}"
    op.wait(lambda: op.errors == [expected])
    assert window.status.currentMessage() == expected
    assert window.notifications.isVisible() and window.notifications.last_message == expected
    assert op.ended(ccid) == outcome


def test_a_dialled_call_that_answers_says_so(op, qtbot, window):
    ccid = dial_and_wait_for_the_end(op, qtbot, phones.ANSWERS)
    op.wait_state(ccid, "Answered")
    op.wait(lambda: window.status.currentMessage() == f"Call to {phones.ANSWERS}: answered")
    assert op.errors == []


def test_hang_up_stays_pending_until_the_call_has_ended(op, window, session):
    """Telnyx accepts the hangup before its webhook arrives: meanwhile the row says it is
    ending and Hang up cannot be pressed again (a second press got 'Hang up failed')."""
    ccid = op.answered_inbound()
    session.simulator.start_outage(150.0)  # the call.hangup webhook is held back a while
    op.act("hangup", ccid, pending="hanging up…")

    assert session.store.call(ccid).is_live  # not confirmed yet...
    assert op.state(ccid) == "ending…"  # ...so the row says what is happening
    window.select_calls([ccid])
    assert not window.actions.hangup.isEnabled()

    op.wait_state(ccid, "Ended")
    assert op.ended(ccid) == "Hung up by you"
    assert op.errors == []
    assert len(op.transport.posts("/actions/hangup")) == 1


def test_merge_is_off_for_a_blind_transferred_call(op, window, session):
    caller = op.answered_inbound()
    other = op.answered_inbound(from_="+13125550177", caller_name="Bo Other")
    op.finish(op.prompt("transfer", phones.ANSWERS, caller))
    op.wait_state(caller, "Bridged")

    assert op.text(caller, COL_WHERE) == f"Transferred to {phones.ANSWERS}"
    window.select_calls([caller, other])
    assert not window.actions.merge.isEnabled()
    assert not window.actions.bridge.isEnabled()
    window.select_calls([caller])
    assert not window.actions.hold.isEnabled() and not window.actions.transfer.isEnabled()
    assert window.actions.hangup.isEnabled()  # it can still be ended from here

    # Asked anyway (through the operations), the refusal names what really happened.
    with pytest.raises(ValueError, match=r"transferred to \+13125550100"):
        op.run(session.ops.merge([caller, other]))


def test_cancel_transfer_while_the_consult_leg_rings(op, window, session):
    caller = op.answered_inbound()
    task = op.prompt("attended_transfer", phones.NO_ANSWER, caller)
    op.wait(lambda: (t := window.actions.current_transfer()) is not None and t.consult_ccid)
    transfer = window.actions.current_transfer()
    consult = transfer.consult_ccid
    op.wait_row(consult)
    assert op.state(consult) == "Dialling"
    window.select_calls([caller])
    assert window.actions.cancel_transfer.isEnabled()
    assert not window.actions.complete_transfer.isEnabled()  # no one to hand over to yet

    cancel = op.press("cancel_transfer")
    op.wait(cancel.done)
    op.wait(task.done)
    op.wait(window.actions.idle)

    assert transfer.state.value == "cancelled"
    op.wait_state(consult, "Ended")
    assert op.ended(consult) == "Consultation cancelled by you"
    op.wait(lambda: not session.store.call(caller).on_hold)
    assert session.store.call(caller).is_live
    assert op.errors == []  # a cancellation is the operator's choice, not a failure
    assert "cancelled" in window.status.currentMessage().lower()


def test_a_cancelled_consultation_is_not_hung_up_by_the_caller(op, window, session):
    caller = op.answered_inbound()
    op.finish(op.prompt("attended_transfer", phones.ANSWERS, caller))
    transfer = window.actions.current_transfer()
    consult = transfer.consult_ccid
    op.act("cancel_transfer", caller)

    op.wait_state(consult, "Ended")
    assert op.ended(consult) == "Consultation cancelled by you"
    assert "caller" not in op.ended(consult)
    assert session.store.call(caller).is_live and not session.store.call(caller).on_hold
