"""The window's docks (history, webhook health, recordings), Tools menu and first-run wizard."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from console import app as console_app
from console.config import Settings
from console.telnyx.errors import NetworkError
from console.ui import main_window
from console.ui.main_window import MainWindow
from console.ui.setup_wizard import SetupResult, SetupWizard
from tests.ui.fakes import Events, FakeSession, iso
from tests.ui.test_history_panel import HistorySession

PATH_OK = (
    "✔ The receiver listens at http://127.0.0.1:8765/webhooks/telnyx.\n"
    "✔ a signed test delivery to https://abc.ngrok.app/webhooks/telnyx reached the receiver"
)
PATH_BROKEN = (
    "✔ The receiver listens at http://127.0.0.1:8765/webhooks/telnyx.\n"
    "✘ There is no public URL (tunnel down); Telnyx cannot reach the console."
)


class ToolsSession(FakeSession):
    """The fake session before setup: no API key (what the first-run decision looks at)."""

    def __init__(self, settings: Settings | None = None):
        super().__init__(settings)
        self.client = None
        self.path_result = PATH_OK


class JournalSession(ToolsSession):
    """A real journal and history table underneath, written the way the console writes them;
    history is readable once ``started`` (as the real session's, once it has started)."""

    def __init__(self, folder):
        super().__init__()
        self.history = HistorySession(folder)
        self.journal = self.history.journal
        self.started = True

    def history_table(self):
        return self.history.table if self.started else None

    def on_history(self, callback):
        return self.history.on_history(callback)

    def deliver(self, envelope, attempt: int = 1) -> None:
        self.history.record(envelope)
        super().deliver(envelope, attempt)


@pytest.fixture
def session():
    return ToolsSession()


@pytest.fixture
def events():
    return Events()


def make_window(qtbot, session, qsettings, show: bool = True) -> MainWindow:
    w = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(w)
    if show:
        w.show()
    return w


@pytest.fixture
def window(qtbot, session, qsettings):
    return make_window(qtbot, session, qsettings)


def status_text(window) -> str:
    return window.status.currentMessage()


# --- docks -----------------------------------------------------------------------------------


def test_docks_host_the_panels_in_their_default_areas(window):
    # Each panel sits in a scroll area, so its minimum size never outgrows a small screen.
    assert window.history_dock.widget().widget() is window.history_panel
    assert window.health_dock.widget().widget() is window.health_panel
    assert window.recordings_dock.widget().widget() is window.recordings_panel
    names = {d.objectName() for d in window.findChildren(QDockWidget)}
    assert {"eventLogDock", "historyDock", "healthDock", "recordingsDock"} <= names
    assert [d.windowTitle() for d in window.docks().values()] == [
        "Event log",
        "History",
        "Webhook health",
        "Recordings",
    ]
    right, bottom = Qt.DockWidgetArea.RightDockWidgetArea, Qt.DockWidgetArea.BottomDockWidgetArea
    assert window.dockWidgetArea(window.health_dock) == right
    assert window.dockWidgetArea(window.recordings_dock) == bottom
    assert window.dockWidgetArea(window.history_dock) == bottom
    assert window.recordings_dock in window.tabifiedDockWidgets(window.history_dock)
    window.event_log.show()  # shown from the View menu, it takes its tab beside history
    assert window.history_dock in window.tabifiedDockWidgets(window.event_log)


def test_the_operator_layout_hides_the_engineers_docks_by_default(window):
    """Issue #12: webhook health and the event log are hidden at first; history and
    recordings show under the calls, so the calls table has the window's width."""
    assert window.health_dock.isHidden() and window.event_log.isHidden()
    assert not window.history_dock.isHidden() and not window.recordings_dock.isHidden()
    assert not window.health_dock.toggleViewAction().isChecked()
    assert window.health_dock.toggleViewAction() in window.view_menu.actions()
    central = window.centralWidget().geometry()
    assert central.right() >= window.width() - 20  # nothing docked beside the calls


def test_each_dock_is_toggled_from_the_view_menu(qtbot, window):
    view_actions = window.view_menu.actions()
    for dock in window.docks().values():
        toggle = dock.toggleViewAction()
        assert toggle in view_actions
        shown = not dock.isHidden()
        toggle.trigger()
        assert dock.isHidden() is shown
        assert toggle.isChecked() is not shown
        toggle.trigger()
        assert dock.isHidden() is not shown
    assert window.history_dock.toggleViewAction().shortcut().toString() == "Ctrl+H"


def test_dock_visibility_is_restored_across_windows(qtbot, session, qsettings):
    first = make_window(qtbot, session, qsettings)
    first.history_dock.toggleViewAction().trigger()
    first.recordings_dock.toggleViewAction().trigger()
    first.health_dock.toggleViewAction().trigger()
    first.event_log.toggleViewAction().trigger()
    first.close()

    second = make_window(qtbot, session, qsettings)
    assert second.history_dock.isHidden()
    assert second.recordings_dock.isHidden()
    assert not second.health_dock.isHidden()  # the engineer's choice is remembered
    assert not second.event_log.isHidden()
    second.history_dock.toggleViewAction().trigger()
    second.close()

    third = make_window(qtbot, session, qsettings)
    assert not third.history_dock.isHidden()
    assert third.recordings_dock.isHidden()
    assert third.dockWidgetArea(third.history_dock) == Qt.DockWidgetArea.BottomDockWidgetArea


# --- Tools menu ------------------------------------------------------------------------------


def test_path_test_from_the_menu_reports_success_in_the_status_bar(qtbot, window):
    window.health_dock.toggleViewAction().trigger()  # hidden: the menu brings it back
    assert window.test_path_action in window.tools_menu.actions()
    window.test_path_action.trigger()
    qtbot.waitUntil(lambda: "passed" in status_text(window))
    assert not window.health_dock.isHidden()
    assert "every link works" in status_text(window)
    assert "✔" in window.health_panel.test_result.text()  # the details stay in the dock
    assert window.notifications.history == []


def test_path_test_failure_names_the_broken_link(qtbot, window, session):
    session.path_result = PATH_BROKEN
    window.test_path_action.trigger()
    qtbot.waitUntil(lambda: window.notifications.last_message is not None)
    assert "Webhook path test failed: There is no public URL" in status_text(window)
    assert "✘ There is no public URL" in window.notifications.last_message
    assert window.notifications.property("severity") == "error"


def test_path_test_error_is_worded(qtbot, window, session):
    session.path_error = NetworkError("Could not reach api.telnyx.com.")
    window.test_path_action.trigger()
    qtbot.waitUntil(lambda: window.notifications.last_message is not None)
    message = window.notifications.last_message
    assert "Could not reach api.telnyx.com." in message
    assert "Traceback" not in message


def test_resync_from_the_menu_runs_the_panel_resync(qtbot, window, session):
    window.resync_action.trigger()
    qtbot.waitUntil(lambda: "Resynced" in status_text(window))
    assert session.resync_reasons == ["operator"]

    session.resync_error = NetworkError("Could not reach api.telnyx.com.")
    window.resync_action.trigger()
    qtbot.waitUntil(lambda: window.notifications.last_message is not None)
    assert window.notifications.last_message.startswith("Resync failed: Could not reach")
    assert session.resync_reasons == ["operator", "operator"]


# --- panels follow the store through the bridge ----------------------------------------------


def test_recordings_follow_the_store_through_the_bridge(qtbot, window, session, events):
    session.deliver(events.initiated("v3:r"))
    session.deliver(events.answered("v3:r"))
    start = events.t0
    session.deliver(
        events.call(
            "call.recording.saved",
            "v3:r",
            channels="single",
            recording_started_at=iso(start),
            recording_ended_at=iso(start + timedelta(seconds=42)),
            recording_urls={"wav": "https://example.test/rec/a.wav"},
        )
    )
    window.store_bridge.flush()
    assert window.recordings_panel.model.rowCount() == 1


def test_history_fills_when_the_journal_opens_and_follows_ended_calls(
    qtbot, qsettings, tmp_path, events
):
    session = JournalSession(tmp_path)
    journal, session.journal = session.journal, None  # the session has not started yet
    session.started = False
    try:
        window = make_window(qtbot, session, qsettings)
        assert "once the console has started" in window.history_panel.status.text()
        session.journal, session.started = journal, True
        assert window.load_event_history()
        assert window.history_panel.status.text() == "No calls yet."

        for envelope in (events.initiated("v3:h"), events.answered("v3:h"), events.hangup("v3:h")):
            session.deliver(envelope)
        window.store_bridge.flush()
        qtbot.waitUntil(lambda: len(window.history_panel.entries) == 1)
        assert window.history_panel.entries[0].call_control_id == "v3:h"
    finally:
        session.history.close()


# --- closing ---------------------------------------------------------------------------------


def test_closing_the_window_closes_the_panels(qtbot, window, session, events):
    closed = []
    for panel in (window.history_panel, window.recordings_panel):
        original = panel.close_panel

        def spy(original=original, name=panel.objectName()):
            closed.append(name)
            original()

        panel.close_panel = spy
    window.close()
    assert sorted(closed) == ["historyPanel", "recordingsPanel"]
    assert not window.health_panel.timer.isActive()
    # Nothing reaches the panels after the close.
    session.deliver(events.initiated("v3:late"))
    window.store_bridge.flush()
    assert window.recordings_panel.model.rowCount() == 0


# --- first run -------------------------------------------------------------------------------


def test_first_run_decision():
    no_key = SimpleNamespace(client=None)
    with_key = SimpleNamespace(client=object())
    assert console_app.needs_setup(False, no_key)
    assert not console_app.needs_setup(True, no_key)  # demo mode never asks
    assert not console_app.needs_setup(False, with_key)
    assert console_app.first_run_dialog(False, no_key) == "open_setup_wizard"
    assert console_app.first_run_dialog(True, no_key) is None
    assert console_app.first_run_dialog(False, with_key) is None


def _open_through_the_app(qtbot, qapp, monkeypatch, qsettings, session, demo: bool):
    """AppController._open_window with the test's session and QSettings."""
    made = []

    def factory(s):
        w = MainWindow(s, qsettings=qsettings)
        qtbot.addWidget(w)
        made.append(w)
        return w

    monkeypatch.setattr(main_window, "MainWindow", factory)
    controller = console_app.AppController(qapp, demo)
    controller.session = session
    controller._open_window()
    window = controller.window
    assert window is made[0]
    window.removeEventFilter(controller._close_filter)  # let the test close it directly
    return window


def test_first_run_without_a_key_opens_the_wizard_not_settings(
    qtbot, qapp, monkeypatch, qsettings, session
):
    window = _open_through_the_app(qtbot, qapp, monkeypatch, qsettings, session, demo=False)
    assert window.settings_dialog is None
    wizard = window.setup_wizard
    assert isinstance(wizard, SetupWizard)
    qtbot.waitUntil(wizard.isVisible)
    wizard.reject()


def test_a_configured_or_demo_console_opens_no_wizard(qtbot, qapp, monkeypatch, qsettings):
    configured = ToolsSession()
    configured.client = object()
    window = _open_through_the_app(qtbot, qapp, monkeypatch, qsettings, configured, demo=False)
    assert window.setup_wizard is None and window.settings_dialog is None

    demo = ToolsSession()
    demo.demo = True
    window = _open_through_the_app(qtbot, qapp, monkeypatch, qsettings, demo, demo=True)
    assert window.setup_wizard is None
    assert not window.setup_wizard_action.isEnabled()
    assert window.open_setup_wizard() is None


def test_setup_wizard_is_in_the_file_menu_and_applies_its_result(qtbot, window, session):
    file_menu = window.menuBar().actions()[0].menu()
    assert window.setup_wizard_action in file_menu.actions()
    window.setup_wizard_action.trigger()
    wizard = window.setup_wizard
    qtbot.waitUntil(wizard.isVisible)
    assert window.open_setup_wizard() is wizard  # a second request raises the same one

    settings = Settings(connection_id="111", from_numbers=["+13125550177"], default_country="US")
    result = SetupResult(settings=settings, api_key="KEY123", public_key="pk", ngrok_authtoken=None)
    wizard.finished_setup.emit(result)
    qtbot.waitUntil(lambda: window.setup_task is not None and window.setup_task.done())
    assert session.applied == [
        (settings, {"api_key": "KEY123", "public_key": "pk", "ngrok_authtoken": None})
    ]
    assert "Setup complete" in status_text(window)
    assert window.dialer.from_combo.itemText(0) == "+13125550177"
    wizard.reject()


def test_setup_that_cannot_be_applied_is_worded(qtbot, window, session):
    session.apply_error = ValueError("The Call Control application 111 does not exist.")
    wizard = window.open_setup_wizard()
    result = SetupResult(settings=Settings(), api_key="KEY123", public_key="pk")
    wizard.finished_setup.emit(result)
    qtbot.waitUntil(lambda: window.notifications.last_message is not None)
    message = window.notifications.last_message
    assert "The Call Control application 111 does not exist." in message
    assert "Setup wizard" in message
    assert session.applied == []
    wizard.reject()
