"""The main window driven like an operator: what it shows and what it keeps.

The event log (filters, raw JSON, rejected webhooks, history from the journal), the status bar's
warnings, startup notices, coalesced store updates, rendering and the dark theme, the first-run
size and the layout remembered in the console's config folder. Fixtures are in conftest.py.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor

from console.ui.calls_model import COL_TO
from console.ui.main_window import MainWindow, first_run_rect
from tests.ui.fakes import live_call
from tests.ui.window_helpers import deliver

# --- event log -------------------------------------------------------------------------------


def test_event_log_filters_and_shows_raw_json(qtbot, window, session, events):
    deliver(
        qtbot,
        window,
        session,
        events.initiated("v3:aaa"),
        events.initiated("v3:bbb"),
        events.answered("v3:bbb"),
    )
    log = window.event_log
    qtbot.waitUntil(lambda: log.model.rowCount() == 3)
    log.filter_edit.setText("bbb")
    assert log.proxy.rowCount() == 2
    log.type_combo.setCurrentIndex(log.type_combo.findData("call.answered"))
    assert log.proxy.rowCount() == 1
    log.view.setCurrentIndex(log.proxy.index(0, 0))
    raw = log.raw_view.toPlainText()
    assert '"event_type": "call.answered"' in raw
    assert '"call_control_id": "v3:bbb"' in raw


def test_rejected_webhook_row_is_distinct(qtbot, window, session):
    session.reject("bad signature", "Ed25519 check failed")
    log = window.event_log
    qtbot.waitUntil(lambda: log.model.rowCount() == 1)
    idx = log.model.index(0, 1)
    assert idx.data() == "REJECTED"
    background = idx.data(Qt.ItemDataRole.BackgroundRole)
    assert background is not None and background.color() != QColor(Qt.GlobalColor.white)
    assert "bad signature" in log.model.index(0, 5).data()
    log.type_combo.setCurrentIndex(log.type_combo.findData("rejected"))
    assert log.proxy.rowCount() == 1


# --- status bar, layout, rendering -----------------------------------------------------------


def test_status_bar_warns_loudly(qtbot, window, session):
    status = window.status
    assert status.verification_label.text() == "Signatures: verified"
    assert not status.silence_label.isVisibleTo(window)
    session.health_changed(
        verification_enabled=False,
        silence_warning=True,
        api_reachable=False,
        api_last_error="401 Unauthorized",
    )
    assert "NOT verified" in status.verification_label.text()
    assert status.silence_label.isVisibleTo(window)
    assert "NO EVENTS" in status.silence_label.text()
    assert "unreachable" in status.api_label.text()
    assert "401 Unauthorized" in status.api_label.toolTip()  # the bar stays short


def test_status_bar_says_when_it_is_catching_up_or_the_receiver_restarts(qtbot, window, session):
    status = window.status
    session.health_changed(events_pending=12)
    assert "catching up" not in status.last_event_label.text()  # a normal batch in flight
    session.health_changed(events_pending=4_200)
    assert "catching up: 4,200 events" in status.last_event_label.text()
    session.health_changed(receiver_problem="The webhook receiver stopped (exit code -9).")
    assert status.receiver_label.text() == "⚠ Receiver restarting"
    assert "exit code -9" in status.receiver_label.toolTip()
    session.health_changed(receiver_problem=None, events_pending=0)
    assert status.receiver_label.text().startswith("Receiver:")
    assert "catching up" not in status.last_event_label.text()


def test_layout_is_remembered(qtbot, session, qsettings):
    first = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(first)
    first.calls_view.horizontalHeader().resizeSection(1, 333)
    first.close()
    second = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(second)
    assert second.calls_view.horizontalHeader().sectionSize(1) == 333


def test_window_renders_offscreen(qtbot, window, session, events):
    live_call(session.store, events, "v3:a")
    window.store_bridge.flush()
    image = window.grab().toImage()
    assert image.width() > 600 and image.height() > 400


def test_store_bursts_are_coalesced_into_one_update(qtbot, window, session, events):
    emitted = []
    window.store_bridge.changes_ready.connect(emitted.append)
    for i in range(50):
        session.deliver(events.initiated(f"v3:burst{i}"))
    qtbot.waitUntil(lambda: window.calls_model.rowCount() == 50)
    assert len(emitted) == 1


def test_history_is_loaded_from_journal_records(qtbot, session, qsettings, events):
    class Record:  # the shape of console.events.journal.JournalRecord
        def __init__(self, envelope, received_at):
            self._envelope, self.received_at, self.attempt = envelope, received_at, 2

        def envelope(self):
            return self._envelope

    newest_first = [
        Record(events.answered("v3:h"), 2000.0),
        Record(events.initiated("v3:h"), 1000.0),
    ]
    session.journal.rows = newest_first
    w = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(w)
    log = w.event_log.model
    assert [log.entry(r).event_type for r in range(log.rowCount())] == [
        "call.initiated",
        "call.answered",
    ]
    assert log.entry(0).attempt == 2


def test_startup_notices_show_once_as_information(qtbot, window, session):
    session.health_changed(notices=("Demo mode: calls are simulated.",))
    session.health_changed(notices=("Demo mode: calls are simulated.",))
    assert window.notifications.history == ["Demo mode: calls are simulated."]
    assert window.notifications.property("severity") == "info"


def test_dark_theme_applies(qtbot, session, qsettings):
    from console.ui import theme

    session.settings = session.settings.model_copy(update={"theme": "dark"})
    w = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(w)
    assert theme.current() == "dark"
    assert w.palette().window().color().lightness() < 100
    theme.apply_theme("light")


def test_first_run_fills_most_of_the_screen_and_numbers_read_in_full(window):
    screen = QRect(0, 24, 1600, 976)  # a desktop with a menu bar at the top
    rect = first_run_rect(screen)
    assert (rect.width(), rect.height()) == (1440, 878)
    assert rect.center() == screen.center() and screen.contains(rect)
    header = window.calls_view.horizontalHeader()
    number_width = window.calls_view.fontMetrics().horizontalAdvance("+13125550100")
    assert header.sectionSize(COL_TO) > number_width


def test_a_saved_layout_wins_over_the_first_run_size(qtbot, session, qsettings):
    first = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(first)
    first.resize(760, 560)
    first.calls_view.horizontalHeader().resizeSection(COL_TO, 333)
    first.close()  # saves the layout
    second = MainWindow(session, qsettings=qsettings)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (760, 560)
    assert second.calls_view.horizontalHeader().sectionSize(COL_TO) == 333


def test_the_layout_is_kept_in_the_consoles_config_folder(qtbot, session, tmp_path):
    from console import paths

    window = MainWindow(session)  # the root conftest points TELNYX_CONSOLE_HOME at tmp_path
    qtbot.addWidget(window)
    window.close()
    saved = paths.config_dir() / "layout.ini"
    assert saved.is_file() and tmp_path in saved.parents
    assert "geometry" in saved.read_text()
