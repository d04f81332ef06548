"""Issue #12 on the window with the boundary-faked session: the operator's actions.

The first click on Dial while the recent-numbers list is open, actions a type checker can
follow, destructive actions that ask first (and a kick that leaves nothing selected), and the
window as the host of its dialogs. The session, events and window fixtures are in conftest.py.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.fakes import live_call
from tests.ui.window_helpers import conference_of


def click_in_window(window, widget) -> None:
    """A click as the platform delivers it: to the window, routed by Qt (popups included)."""
    pos = widget.mapTo(window, widget.rect().center())
    QTest.mouseClick(
        window.windowHandle(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos
    )


# --- bug 2: the recent-numbers popup -----------------------------------------------------


def test_first_click_on_dial_dials_while_the_recent_numbers_list_is_open(qtbot, window, session):
    dialer = window.dialer
    dialer.set_recent(["+13125550142", "+13125550199"])
    dialer.destination_edit.setFocus()
    qtbot.keyClicks(dialer.destination_edit, "+13125550142")
    popup = dialer.destination_edit.completer().popup()
    assert popup.isVisible() and QApplication.activePopupWidget() is popup

    click_in_window(window, dialer.dial_button)

    qtbot.waitUntil(lambda: session.ops.calls != [])
    qtbot.waitUntil(window.actions.idle)
    assert not popup.isVisible()
    assert session.ops.calls == [("dial", ("+13125550142", "+13125550100"))]


def test_a_click_on_the_recent_numbers_list_picks_the_number(qtbot, window, session):
    dialer = window.dialer
    dialer.set_recent(["+13125550142", "+13125550199"])
    dialer.destination_edit.setFocus()
    qtbot.keyClicks(dialer.destination_edit, "+1")
    popup = dialer.destination_edit.completer().popup()
    assert popup.isVisible()
    rect = popup.visualRect(popup.model().index(1, 0))
    qtbot.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())

    qtbot.waitUntil(lambda: not popup.isVisible())
    assert dialer.destination_edit.text() == "+13125550199"
    assert session.ops.calls == []  # picking a number is not dialling it


# --- issue 11: actions a type checker can follow ------------------------------------------


def test_every_action_is_a_declared_attribute(window):
    import inspect

    from console.ui.actions import SPECS, CallActions

    source = inspect.getsource(CallActions.__init__)
    for name in SPECS:
        assert f"self.{name}: QAction = self._make(" in source, name
        assert getattr(window.actions, name) is window.actions.all[name]
    assert set(window.actions.all) == set(SPECS)


# --- bug 3: destructive actions ask first; a kick leaves nothing selected ------------------


def test_end_conference_asks_first_and_cancel_changes_nothing(qtbot, window, session, events):
    conference_of(session, events, "conf-a", "v3:a", "v3:b")
    window.store_bridge.flush()
    window.select_conference("conf-a")

    window.actions.end_conference.trigger()
    box = window.last_confirm
    assert box is not None and box.isVisible()
    text = box.text_label.text()
    assert "2 participants" in text and "Caller A" in text and "Caller B" in text
    assert box.cancel_button.isDefault()  # a habitual Enter does not end it
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not box.isVisible())
    assert session.ops.calls == []

    window.actions.end_conference.trigger()
    window.last_confirm.yes_button.click()
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.calls == [("end_conference", ("conf-a",))]


def test_end_conference_is_set_apart_from_kick_in_the_menus(window):
    for menu in (window.conference_menu, window.conferences_menu):
        actions = menu.actions()
        kick = actions.index(window.actions.kick)
        end = actions.index(window.actions.end_conference)
        assert any(a.isSeparator() for a in actions[min(kick, end) + 1 : max(kick, end)])


def test_after_a_kick_nothing_is_selected_so_a_second_ctrl_k_removes_no_one(
    qtbot, window, session, events
):
    conference_of(session, events, "conf-a", "v3:a", "v3:b", "v3:c")
    window.store_bridge.flush()
    view = window.conferences_view
    rect = view.visualRect(window.conferences_model.index_of_participant("conf-a", "v3:b"))
    point = QPoint(rect.left() + 8, rect.center().y())
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert window.selected_participant() == ("conf-a", "v3:b")
    assert window.actions.kick.isEnabled()

    window.actions.kick.trigger()
    qtbot.waitUntil(window.actions.idle)
    session.deliver(events.left("v3:b", "conf-a"))  # Telnyx confirms the kick
    window.store_bridge.flush()

    assert window.selected_participant() is None
    assert not window.conferences_view.selectionModel().hasSelection()
    assert not window.actions.kick.isEnabled()
    qtbot.keyClick(view, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    window.actions.kick.trigger()
    qtbot.waitUntil(window.actions.idle)
    assert session.ops.calls == [("kick", ("conf-a", "v3:b"))]
    assert window.conferences_model.participant_ids("conf-a") == ["v3:a", "v3:c"]


def test_hanging_up_several_calls_says_which_and_asks(qtbot, window, session, events):
    live_call(session.store, events, "v3:a", caller_id_name="Pat Caller")
    session.deliver(events.initiated("v3:ring", caller_id_name="Ringing Rita"))
    window.store_bridge.flush()
    window.select_calls(["v3:a", "v3:ring"])

    window.actions.hangup.trigger()
    box = window.last_confirm
    assert box is not None and box.isVisible()
    text = box.text_label.text()
    assert "2 calls" in text and "Pat Caller" in text and "Ringing Rita" in text
    assert "1 of them still ringing" in text
    assert "Hang up 2 calls" in box.yes_button.text().replace("&", "")
    box.cancel_button.click()
    assert session.ops.calls == []

    window.actions.hangup.trigger()
    window.last_confirm.yes_button.click()
    qtbot.waitUntil(window.actions.idle)
    assert sorted(session.ops.calls) == [("hangup", ("v3:a",)), ("hangup", ("v3:ring",))]


def test_hanging_up_one_call_does_not_ask(qtbot, window, session, events):
    live_call(session.store, events, "v3:a")
    window.store_bridge.flush()
    window.select_calls(["v3:a"])
    before = window.last_confirm
    window.actions.hangup.trigger()
    qtbot.waitUntil(window.actions.idle)
    assert window.last_confirm is before
    assert session.ops.calls == [("hangup", ("v3:a",))]


# --- issue 11: the window's dialogs have their own module ------------------------------


def test_the_window_is_a_dialog_host_and_delegates_to_its_dialogs(qtbot, window, session):
    from console.ui.window_dialogs import DialogHost, WindowDialogs

    assert isinstance(window.dialogs, WindowDialogs)
    for name in ("closed", "show_status", "notify_error", "notify_info", "refresh_from_settings"):
        assert hasattr(window, name), name
    assert {"session", "qsettings"} <= set(DialogHost.__annotations__)
    dialog = window.open_settings()
    assert window.settings_dialog is dialog is window.dialogs.settings_dialog
    assert window.open_settings() is dialog  # one at a time
    dialog.reject()
