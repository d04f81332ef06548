"""The Team panel, the Team menu and claims in the real MainWindow (offscreen), on a fake team.

The fake is ``session.team`` (tests/ui/team_fakes.py, the TeamView protocol); the window,
its models, actions and the panel are the real ones, driven with qtbot's keys and clicks.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import Qt

from console.desk.status import Status
from console.relay.claims import Claim, ClaimTaken
from console.team.view import SupervisorMode
from console.ui.main_window import MainWindow
from console.ui.team_model import COL_CALL, COL_SINCE, COL_STATUS
from console.ui.team_status import BUSY, activity, dot_color
from tests.ui.fakes import Events, FakeSession, live_call
from tests.ui.team_fakes import FakeTeam


class TeamSession(FakeSession):
    def __init__(self, team: FakeTeam | None):
        super().__init__()
        self.team = team


@pytest.fixture
def events():
    return Events()


def open_window(qtbot, session, qsettings) -> MainWindow:
    window = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def team():
    return FakeTeam("Sam")


@pytest.fixture
def session(team):
    return TeamSession(team)


@pytest.fixture
def window(qtbot, session, qsettings):
    return open_window(qtbot, session, qsettings)


def panel_of(window):
    return window.team_ui.panel


def cell(window, row: int, col: int, role=Qt.ItemDataRole.DisplayRole):
    model = panel_of(window).model
    return model.data(model.index(row, col), role)


def rows(window) -> list[str]:
    model = panel_of(window).model
    return [c.operator for c in model.colleagues()]


def ring(qtbot, window, session, events, ccid="v3:ring-1"):
    session.deliver(events.initiated(ccid))
    wait_row(qtbot, window, ccid)
    return ccid


def wait_row(qtbot, window, ccid: str) -> None:
    """The store's changes reach the calls table through the window's coalescing bridge."""
    qtbot.waitUntil(lambda: window.calls_model.row_of(ccid) is not None)


def select_colleague(qtbot, window, name: str) -> None:
    qtbot.waitUntil(lambda: name in rows(window))
    assert panel_of(window).select_colleague(name)


# --- solo mode -------------------------------------------------------------------------------


def test_solo_mode_hides_the_panel_and_says_why(qtbot, qsettings):
    window = open_window(qtbot, TeamSession(None), qsettings)
    team_ui = window.team_ui
    assert team_ui.dock.isHidden()
    team_ui.show_action.trigger()  # Ctrl+Shift+G shows it, with the reason it is empty
    assert team_ui.dock.isVisible()
    panel = team_ui.panel
    assert "Team mode is off" in panel.header.text()
    assert "Settings → Team" in panel.header.text()
    assert not panel.view.isEnabled()
    assert not panel.transfer_button.isEnabled() and not panel.attended_button.isEnabled()
    assert "Team mode is off" in panel.transfer_button.toolTip()
    assert not team_ui.transfer_action.isEnabled()
    assert panel.settings_button.isEnabled()


def test_the_panel_shows_the_first_time_in_team_mode_then_as_left(qtbot, qsettings):
    solo = open_window(qtbot, TeamSession(None), qsettings)
    solo.close()  # saves a layout with the Team dock hidden
    window = open_window(qtbot, TeamSession(FakeTeam("Sam")), qsettings)
    qtbot.waitUntil(lambda: qsettings.value("team/panel_introduced", False, type=bool))
    assert window.team_ui.dock.isVisible()
    assert window.windowTitle().endswith("— Sam")
    window.team_ui.dock.hide()
    window.close()
    again = open_window(qtbot, TeamSession(FakeTeam("Sam")), qsettings)
    again.team_ui._introduce_panel()  # what the deferred first-time check runs: not again
    assert again.team_ui.dock.isHidden()


# --- colleagues like BLF ---------------------------------------------------------------------


def test_colleagues_show_with_status_in_colour_and_words(qtbot, window, team, session, events):
    team.set_colleague("Blair", Status.AWAY, reason="Lunch")
    team.set_colleague("Alex", Status.AVAILABLE)
    qtbot.waitUntil(lambda: rows(window) == ["Alex", "Blair"])
    panel = panel_of(window)
    assert window.team_ui.dock.isVisible()
    assert "You are Sam" in panel.header.text()
    assert cell(window, 0, COL_STATUS) == "Available"
    assert cell(window, 1, COL_STATUS) == "Away: Lunch"
    green = cell(window, 0, COL_STATUS, Qt.ItemDataRole.ForegroundRole).color()
    assert green == dot_color(Status.AVAILABLE.value)
    assert cell(window, 0, COL_STATUS, Qt.ItemDataRole.DecorationRole) is not None
    assert cell(window, 0, COL_STATUS, Qt.ItemDataRole.AccessibleTextRole) == "Status: Available"

    # Alex takes a call: busy (red) with the caller's name, and the status timer starts over.
    clock = [1000.0]
    panel.model.clock = lambda: clock[0]
    team.set_colleague("Alex", Status.AVAILABLE)  # seen again, nothing changed
    live_call(session.store, events, "v3:alex-call", caller_id_name="Grace Hopper")
    clock[0] = 1042.0
    team.set_colleague("Alex", Status.AVAILABLE, call_control_id="v3:alex-call")
    qtbot.waitUntil(lambda: cell(window, 0, COL_STATUS) == "On a call")
    assert activity(panel.model.colleague_at(0)) == BUSY
    assert cell(window, 0, COL_CALL) == "With Grace Hopper"
    red = cell(window, 0, COL_STATUS, Qt.ItemDataRole.ForegroundRole).color()
    assert red == dot_color(BUSY) and red != green
    clock[0] = 1047.0
    assert cell(window, 0, COL_SINCE) == "0:05"

    team.set_colleague("Blair", Status.OFFLINE, reason="")
    qtbot.waitUntil(lambda: cell(window, 1, COL_STATUS) == "Offline")


def test_the_status_bar_shows_the_broker_instead_of_a_receiver(qtbot, window, session):
    status = window.status
    assert status.tunnel_label.isVisibleTo(window)  # the fake starts as a solo console
    session.health_changed(mode="team", receiver_url=None, tunnel_state="team")
    assert status.receiver_label.text() == "Team: connected"
    assert not status.tunnel_label.isVisibleTo(window)
    assert status.verification_label.text() == "Signatures: at the relay"
    session.health_changed(broker_state="disconnected", broker_problem="broker disconnected: …")
    assert status.receiver_label.text() == "⚠ Broker disconnected"
    assert status.receiver_label.toolTip() == "broker disconnected: …"


def test_the_header_says_when_the_broker_is_down(qtbot, window, team):
    team.set_broker(False, "Broker disconnected: reconnecting")
    panel = panel_of(window)
    qtbot.waitUntil(lambda: "Broker disconnected" in panel.header.text())
    assert "Broker disconnected" in window.status.currentMessage()
    team.set_broker(True)
    qtbot.waitUntil(lambda: "connected" in panel.header.text() and "⚠" not in panel.header.text())


def test_live_claims_are_listed_and_shown_on_the_call_row(qtbot, window, team, session, events):
    ccid = ring(qtbot, window, session, events)
    window.select_calls([ccid])
    assert window.actions.answer.isEnabled()
    team.set_claim(ccid, "Alex", "answering")
    panel = panel_of(window)
    qtbot.waitUntil(
        lambda: panel.claims_list.item(0).text() != "Nobody is taking a call right now."
    )
    assert panel.claims_list.count() == 1
    assert panel.claims_list.item(0).text() == "Alex is answering: Ada Lovelace"
    state = window.calls_model.index(window.calls_model.row_of(ccid), 3)
    assert window.calls_model.data(state) == "Alex is answering…"
    assert not window.actions.answer.isEnabled()  # nothing to do for this console
    assert ccid not in [c.call_control_id for c in window.ring_alerts.ringing_calls()]
    team.drop_claim(ccid)
    qtbot.waitUntil(lambda: window.calls_model.data(state) == "Ringing")
    assert window.actions.answer.isEnabled()
    assert panel.claims_list.item(0).text() == "Nobody is taking a call right now."
    team.set_claim(ccid, "Alex", "answering")  # Alex answered: the claim is kept until hangup
    session.deliver(events.answered(ccid))
    qtbot.waitUntil(
        lambda: panel.claims_list.item(0).text() == "Alex has the call with Ada Lovelace"
    )
    assert window.calls_model.data(state) == "Answered"  # the row shows the call, not the claim


# --- "Taken by Alex" -------------------------------------------------------------------------


def test_a_lost_claim_says_taken_by_and_does_nothing_to_the_call(qtbot, window, session, events):
    ccid = ring(qtbot, window, session, events)
    holder = Claim(ccid, "Alex", "console-alex", "answering", 0.0)
    session.ops.fail["answer"] = ClaimTaken(holder)
    window.select_calls([ccid])
    window.actions.answer.trigger()
    expected = "Taken by Alex (answering): nothing was done to the call."
    qtbot.waitUntil(lambda: window.notifications.last_message == expected)
    assert session.ops.names() == ["answer"]  # no reject, no hangup, no retry
    assert "failed" not in window.status.currentMessage()
    assert session.store.call(ccid).is_live


# --- transfer to a colleague -----------------------------------------------------------------


def test_enter_transfers_the_selected_call_to_the_colleague(qtbot, window, team, session, events):
    live_call(session.store, events, "v3:mine")
    wait_row(qtbot, window, "v3:mine")
    team.set_colleague("Alex", Status.AVAILABLE)
    select_colleague(qtbot, window, "Alex")
    panel = panel_of(window)
    assert not panel.transfer_button.isEnabled()
    assert "Select the call to transfer" in panel.reason_label.text()
    window.select_calls(["v3:mine"])
    assert panel.transfer_button.isEnabled()
    assert "(Ctrl+Shift+J)" in window.team_ui.transfer_action.toolTip()
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(team.commands) == 1)
    assert team.commands == [("transfer_to_colleague", ("v3:mine", "Alex", False))]
    qtbot.waitUntil(lambda: window.status.currentMessage() == "Transferred to Alex.")
    qtbot.keyClick(panel.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: len(team.commands) == 2)
    assert team.commands[1] == ("transfer_to_colleague", ("v3:mine", "Alex", True))


def test_the_menu_key_transfers_and_unavailable_colleagues_say_why(
    qtbot, window, team, session, events
):
    live_call(session.store, events, "v3:mine")
    wait_row(qtbot, window, "v3:mine")
    window.select_calls(["v3:mine"])
    team.set_colleague("Blair", Status.AWAY)
    team.set_colleague("Casey", Status.AVAILABLE, endpoint=None)
    select_colleague(qtbot, window, "Blair")
    panel = panel_of(window)
    assert not window.team_ui.transfer_action.isEnabled()
    assert "Blair is away" in panel.transfer_button.toolTip()
    panel.select_colleague("Casey")
    assert "Casey has no phone set" in panel.reason_label.text()
    team.set_colleague("Blair", Status.AVAILABLE)
    qtbot.waitUntil(lambda: panel.model.colleague_at(0).status is Status.AVAILABLE)
    panel.select_colleague("Blair")
    window.team_ui.attended_action.trigger()
    qtbot.waitUntil(lambda: len(team.commands) == 1)
    assert team.commands == [("transfer_to_colleague", ("v3:mine", "Blair", True))]


def test_a_refused_transfer_is_said_in_words(qtbot, window, team, session, events):
    from console.errors import ConsoleError

    live_call(session.store, events, "v3:mine")
    wait_row(qtbot, window, "v3:mine")
    window.select_calls(["v3:mine"])
    team.set_colleague("Alex", Status.AVAILABLE)
    select_colleague(qtbot, window, "Alex")
    team.fail["transfer_to_colleague"] = ConsoleError("Alex went offline a moment ago.")
    panel_of(window).transfer_button.click()
    qtbot.waitUntil(lambda: bool(window.notifications.last_message))
    assert window.notifications.last_message == (
        "Transfer to Alex failed: Alex went offline a moment ago."
    )


# --- supervisor ------------------------------------------------------------------------------


def test_supervisor_listens_whispers_barges_in_place_and_stops(qtbot, qsettings, session, events):
    session.team = FakeTeam("Sam", supervisor=True)
    team = session.team
    window = open_window(qtbot, session, qsettings)
    live_call(session.store, events, "v3:alex-call")
    wait_row(qtbot, window, "v3:alex-call")
    team.set_colleague("Alex", Status.AVAILABLE, call_control_id="v3:alex-call")
    select_colleague(qtbot, window, "Alex")
    panel = panel_of(window)
    listen = panel.mode_buttons[SupervisorMode.MONITOR]
    whisper = panel.mode_buttons[SupervisorMode.WHISPER]
    barge = panel.mode_buttons[SupervisorMode.BARGE]
    assert panel.supervise_box.isVisible() and listen.isEnabled()
    assert "(Alt+Shift+L)" in listen.toolTip()
    assert not panel.stop_button.isEnabled()

    listen.click()
    qtbot.waitUntil(lambda: listen.isChecked())
    assert team.commands == [("supervise", ("v3:alex-call", SupervisorMode.MONITOR))]
    assert "Listening to Alex's call" in window.status.currentMessage()
    whisper.click()
    qtbot.waitUntil(lambda: whisper.isChecked())
    assert not listen.isChecked()
    assert team.commands[-1] == ("supervise", ("v3:alex-call", SupervisorMode.WHISPER))
    assert window.status.currentMessage().startswith("Switched:")
    window.team_ui.mode_actions[SupervisorMode.BARGE].trigger()
    qtbot.waitUntil(lambda: barge.isChecked())
    assert team.commands[-1] == ("supervise", ("v3:alex-call", SupervisorMode.BARGE))
    assert panel.stop_button.isEnabled()
    panel.stop_button.click()
    qtbot.waitUntil(lambda: not barge.isChecked())
    assert team.commands[-1] == ("stop_supervising", ("v3:alex-call",))
    assert not panel.stop_button.isEnabled()


def test_non_supervisors_get_no_supervisor_buttons(qtbot, window, team, session, events):
    live_call(session.store, events, "v3:alex-call")
    wait_row(qtbot, window, "v3:alex-call")
    team.set_colleague("Alex", Status.AVAILABLE, call_control_id="v3:alex-call")
    select_colleague(qtbot, window, "Alex")
    panel = panel_of(window)
    assert panel.supervise_box.isHidden()
    assert not window.team_ui.mode_actions[SupervisorMode.MONITOR].isVisible()
    window.team_ui.supervise(SupervisorMode.MONITOR)
    assert team.commands == []
    assert "for supervisors" in window.status.currentMessage()


def test_the_window_with_its_team_parts_never_imports_the_broker_client():
    """A solo console loads nats-py only when a session starts in team mode."""
    code = (
        "import sys, console.ui.main_window, console.ui.team_install, console.ui.settings_dialog;"
        "print('nats' in sys.modules, any(m.startswith('console.relay') for m in sys.modules))"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.split() == ["False", "False"]


def test_colleagues_a_transfer_can_reach_are_in_the_directory(qtbot, window, team):
    team.set_colleague("Alex", Status.AVAILABLE, endpoint="sip:alex@example.sip.telnyx.com")
    team.set_colleague("Blair", Status.AWAY, endpoint=None)  # no phone to ring: not offered
    entries = window.workflow.desk.directory.entries("")
    assert [(e.label, e.number) for e in entries if e.kind.value == "colleague"] == [
        ("Alex", "sip:alex@example.sip.telnyx.com")
    ]
