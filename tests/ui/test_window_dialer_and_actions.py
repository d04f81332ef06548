"""The main window driven like an operator: the dialer and the call actions.

Dialling and DTMF from the pad, actions that follow the selection and the call's state, pending
commands and failures in words, the transfer and DTMF prompts, conference and queue actions, the
tray on an incoming call. The session, events and window fixtures are in conftest.py.
"""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from console.telnyx.errors import TelnyxError
from console.ui.calls_model import BADGES_ROLE, COL_FLAGS, COL_STATE
from tests.ui.fakes import live_call
from tests.ui.window_helpers import deliver


def row_text(window, ccid, col):
    model = window.calls_model
    return model.index(model.row_of(ccid), col).data(Qt.ItemDataRole.DisplayRole)


def badges(window, ccid):
    """The flags cell's badges in words (the cell shows them as icons)."""
    model = window.calls_model
    return model.index(model.row_of(ccid), COL_FLAGS).data(BADGES_ROLE)


def conference_call(qtbot, window, session, events, ccid="v3:a", conf="conf-a"):
    deliver(
        qtbot,
        window,
        session,
        events.initiated(ccid),
        events.answered(ccid),
        events.conference_created(conf, ccid),
        events.joined(ccid, conf),
    )


# --- dialer ----------------------------------------------------------------------------------


def test_invalid_number_shows_inline_error_and_sends_nothing(qtbot, window, session):
    dialer = window.dialer
    qtbot.keyClicks(dialer.destination_edit, "12ab")
    assert dialer.error_label.text()
    assert "not" in dialer.error_label.text()
    assert not dialer.dial_button.isEnabled()
    qtbot.keyClick(dialer.destination_edit, Qt.Key.Key_Return)
    dialer.dial()
    assert session.ops.calls == []


def test_valid_number_dials_normalised_from_the_chosen_number(qtbot, window, session):
    dialer = window.dialer
    dialer.from_combo.setCurrentIndex(1)
    qtbot.keyClicks(dialer.destination_edit, "(312) 555-0142")
    assert dialer.dial_button.isEnabled()
    assert "+13125550142" in dialer.error_label.text()  # shows what will be dialled
    qtbot.mouseClick(dialer.dial_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.calls == [("dial", ("+13125550142", "+13125550101"))]
    assert dialer.recent_numbers[0] == "+13125550142"


def test_dial_pad_types_then_sends_dtmf_to_the_selected_live_call(qtbot, window, session, events):
    dialer = window.dialer
    for key in ("1", "2", "#"):
        qtbot.mouseClick(dialer.pad_buttons[key], Qt.MouseButton.LeftButton)
    assert dialer.destination_edit.text() == "12#"
    deliver(qtbot, window, session, events.initiated("v3:a"), events.answered("v3:a"))
    window.select_calls(["v3:a"])
    assert "DTMF" in dialer.mode_label.text()
    qtbot.mouseClick(dialer.pad_buttons["5"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.calls == [("send_dtmf", ("v3:a", "5"))]
    assert dialer.destination_edit.text() == "12#"


def test_the_dialer_keeps_its_height_when_the_pad_changes_what_it_does(
    qtbot, window, session, events
):
    # Selecting calls switches the pad between typing and DTMF many times a minute: its
    # caption must not grow the dialer (a scroll bar came and went and the keypad jumped).
    dialer, scroll = window.dialer, window.dialer_scroll
    deliver(qtbot, window, session, events.initiated("v3:a"), events.answered("v3:a"))
    window.select_calls([])
    dialer.update_mode()
    QApplication.processEvents()
    typing = (dialer.height(), scroll.verticalScrollBar().isVisible(), dialer.width())
    window.select_calls(["v3:a"])
    dialer.update_mode()
    assert "DTMF" in dialer.mode_label.text()
    for _ in range(3):  # the layout requests, and those a scroll bar showing would post
        QApplication.processEvents()
    assert (dialer.height(), scroll.verticalScrollBar().isVisible(), dialer.width()) == typing


# --- actions ---------------------------------------------------------------------------------


def enabled(window):
    return {name for name, action in window.actions.all.items() if action.isEnabled()}


def test_actions_follow_selection_and_state(qtbot, window, session, events):
    deliver(qtbot, window, session, events.initiated("v3:ring"))
    live_call(session.store, events, "v3:b")
    live_call(session.store, events, "v3:c")
    window.store_bridge.flush()

    window.select_calls([])
    # A call is ringing: Answer and Reject reach it without a selection (one key answers).
    assert enabled(window) == {"dial", "settings", "answer", "reject"}

    window.select_calls(["v3:ring"])
    on = enabled(window)
    assert {"answer", "reject", "hangup"} <= on
    assert not on & {"hold", "mute", "transfer", "bridge", "send_dtmf"}

    window.select_calls(["v3:b"])
    on = enabled(window)
    assert {"hold", "mute", "record", "transfer", "attended_transfer", "send_dtmf"} <= on
    assert not on & {"bridge", "merge", "record_pause", "complete_transfer"}

    window.select_calls(["v3:b", "v3:c"])
    assert {"bridge", "merge", "hold", "hangup"} <= enabled(window)
    window.select_calls(["v3:b", "v3:c", "v3:ring"])
    assert not enabled(window) & {"bridge", "merge", "hold"}


def test_one_key_answers_the_oldest_ringing_call_without_a_selection(
    qtbot, window, session, events
):
    deliver(qtbot, window, session, events.initiated("v3:first", caller_id_name="Pat Caller"))
    events.seconds += 5
    deliver(qtbot, window, session, events.initiated("v3:second"))
    live_call(session.store, events, "v3:talking")
    window.store_bridge.flush()
    window.select_calls(["v3:talking"])  # an answered call is selected: F5 still answers

    assert window.actions.answer.isEnabled()
    assert "Pat Caller" in window.actions.answer.toolTip()
    window.actions.answer.trigger()
    qtbot.waitUntil(lambda: session.ops.names() == ["answer"])
    assert session.ops.calls[0] == ("answer", ("v3:first",))

    window.select_calls(["v3:first", "v3:second"])  # two ringing calls: which one is unclear
    assert not window.actions.answer.isEnabled()


def test_shortcuts_are_in_tooltips_and_menus(window):
    answer = window.actions.answer
    assert answer.shortcut().toString() == "F5"
    assert "(F5)" in answer.toolTip()
    assert window.actions.dial.shortcut().toString() == "Ctrl+D"


def test_hold_marks_pending_then_row_follows_the_store(qtbot, window, session, events):
    conference_call(qtbot, window, session, events)
    window.select_calls(["v3:a"])
    session.ops.gate = asyncio.Event()
    window.actions.hold.trigger()
    assert row_text(window, "v3:a", COL_STATE) == "holding…"
    assert not window.actions.hold.isEnabled()  # disabled while pending
    assert "On hold" not in badges(window, "v3:a")
    session.ops.gate.set()
    qtbot.waitUntil(lambda: "On hold" in badges(window, "v3:a"))
    qtbot.waitUntil(window.actions.idle)
    assert row_text(window, "v3:a", COL_STATE).startswith("On hold ")  # with its hold timer
    assert window.actions.hold.isChecked()
    assert window.actions.hold.text().replace("&", "") == "Unhold"
    window.actions.hold.trigger()
    qtbot.waitUntil(lambda: "On hold" not in badges(window, "v3:a"))
    assert session.ops.names() == ["hold", "unhold"]


def test_failed_action_shows_words_and_changes_nothing(qtbot, window, session, events):
    conference_call(qtbot, window, session, events)
    window.select_calls(["v3:a"])
    session.ops.fail["hold"] = TelnyxError("Telnyx refused: the call is no longer active.")
    window.actions.hold.trigger()
    qtbot.waitUntil(window.actions.idle)
    message = window.notifications.last_message
    assert message == "Hold failed: Telnyx refused: the call is no longer active."
    assert window.notifications.isVisible()
    assert window.status.currentMessage() == message
    assert badges(window, "v3:a") == "Conference"
    assert row_text(window, "v3:a", COL_STATE) == "In conference"
    assert window.actions.hold.isEnabled() and not window.actions.hold.isChecked()


def test_unexpected_error_is_worded_not_a_traceback(qtbot, window, session, events):
    deliver(qtbot, window, session, events.initiated("v3:r"))
    window.select_calls(["v3:r"])
    session.ops.fail["answer"] = RuntimeError("boom")
    window.actions.answer.trigger()
    qtbot.waitUntil(window.actions.idle)
    assert window.notifications.last_message == (
        "Answer failed: Unexpected error: RuntimeError: boom (details in the log)"
    )
    assert "Traceback" not in window.notifications.last_message


def test_blind_transfer_prompt_validates(qtbot, window, session, events):
    deliver(qtbot, window, session, events.initiated("v3:a"), events.answered("v3:a"))
    window.select_calls(["v3:a"])
    window.actions.transfer.trigger()
    prompt = window.last_prompt
    assert prompt is not None and prompt.isVisible()
    prompt.line_edit.setText("desk@example")
    assert not prompt.ok_button.isEnabled()
    assert "sip:" in prompt.error_label.text()
    prompt.accept()
    assert session.ops.calls == []
    prompt.line_edit.setText("sip:desk@example.com")
    assert prompt.ok_button.isEnabled()
    prompt.accept()
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.calls == [("transfer", ("v3:a", "sip:desk@example.com"))]


def test_attended_transfer_start_then_complete(qtbot, window, session, events):
    deliver(qtbot, window, session, events.initiated("v3:a"), events.answered("v3:a"))
    window.select_calls(["v3:a"])
    assert not window.actions.complete_transfer.isEnabled()
    window.actions.attended_transfer.trigger()
    window.last_prompt.line_edit.setText("+1 312 555 0177")
    window.last_prompt.accept()
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.calls[0] == ("start_attended_transfer", ("v3:a", "+13125550177"))
    assert window.actions.complete_transfer.isEnabled()
    assert window.actions.cancel_transfer.isEnabled()
    assert not window.actions.attended_transfer.isEnabled()
    window.actions.complete_transfer.trigger()
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.names()[-1] == "complete_attended_transfer"
    assert not window.actions.complete_transfer.isEnabled()


def test_send_dtmf_prompt(qtbot, window, session, events):
    deliver(qtbot, window, session, events.initiated("v3:a"), events.answered("v3:a"))
    window.select_calls(["v3:a"])
    window.actions.send_dtmf.trigger()
    window.last_prompt.line_edit.setText("12x")
    assert not window.last_prompt.ok_button.isEnabled()
    window.last_prompt.line_edit.setText("123#")
    window.last_prompt.accept()
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.calls == [("send_dtmf", ("v3:a", "123#"))]


def test_conference_actions_from_the_tree(qtbot, window, session, events):
    conference_call(qtbot, window, session, events)
    assert not window.actions.end_conference.isEnabled()
    window.select_conference("conf-a", "v3:a")
    assert window.actions.kick.isEnabled() and window.actions.end_conference.isEnabled()
    window.actions.kick.trigger()
    qtbot.waitUntil(window.actions.idle)
    window.select_conference("conf-a")
    window.actions.end_conference.trigger()
    assert window.last_confirm is not None and window.last_confirm.isVisible()
    window.last_confirm.yes_button.click()
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.calls == [("kick", ("conf-a", "v3:a")), ("end_conference", ("conf-a",))]


def test_pick_a_waiting_call(qtbot, window, session, events):
    live_call(session.store, events, "v3:q")
    deliver(qtbot, window, session, events.enqueued("v3:q", "support", 1))
    window.select_waiter("support", "v3:q")
    assert window.actions.pick.isEnabled()
    window.actions.pick.trigger()
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.calls == [("pick_from_queue", ("v3:q",))]


def test_incoming_call_notifies_the_tray(qtbot, window, session, events):
    deliver(qtbot, window, session, events.initiated("v3:in", caller_id_name="Grace Hopper"))
    assert window.tray.notifications == [
        ("Incoming call", "Incoming call from Grace Hopper <+13125550100>")
    ]
