"""The history panel over a real history table and store: listing, paging, search, dates,
export, rows arriving as calls end, call back."""

from __future__ import annotations

import csv
import json
import time

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication

from console.db import connect
from console.events.journal import Journal
from console.history.recorder import HistoryFold
from console.history.table import HistoryTable
from console.ui.history_model import COL_FROM, COL_RESULT
from console.ui.history_panel import HistoryPanel
from tests.ui.fakes import Events, FakeSession


class HistorySession(FakeSession):
    """The fake session with what the panel uses of console/session.py for real: the history
    table, the rows the recorder writes (the real fold, run inline), and the journal."""

    def __init__(self, folder):
        super().__init__()
        self.journal = Journal(folder / "events.sqlite3")
        self.conn = connect(folder / "console.sqlite3")
        self.table = HistoryTable(self.conn)
        self._fold = HistoryFold(self.table)
        self._listeners = []
        self._seq = self.journal.last_seq()

    def history_table(self):
        return self.table

    def on_history(self, callback):
        self._listeners.append(callback)
        return lambda: self._listeners.remove(callback)

    def deliver(self, envelope, attempt: int = 1):
        # As the console does: journal first, then the store and the history recorder.
        self.store.apply(envelope)
        self.record(envelope)

    def record(self, envelope):
        """Journal ``envelope`` and let the history recorder's fold write its row."""
        # serialize_as_any: the payload field is declared as the base Payload type.
        document = envelope.model_dump(
            mode="json", by_alias=True, exclude_none=True, serialize_as_any=True
        )
        self.journal.append(envelope, json.dumps(document), time.time())
        records = self.journal.records_after(self._seq)
        self._seq = records[-1].seq
        rows = self._fold.fold(records)
        for listener in list(self._listeners):
            listener(rows)

    def close(self):
        self.journal.close()
        self.conn.close()


@pytest.fixture
def session(tmp_path):
    s = HistorySession(tmp_path)
    yield s
    s.close()


@pytest.fixture
def events():
    return Events()


def finished_call(session, events, ccid, **kw):
    for envelope in (events.initiated(ccid, **kw), events.answered(ccid), events.hangup(ccid)):
        session.deliver(envelope)


@pytest.fixture
def panel(qtbot, session):
    p = HistoryPanel(session, refresh_delay_ms=10)
    qtbot.addWidget(p)
    p.show()
    return p


def shown_ids(panel):
    return [e.call_control_id for e in panel.entries]


def cell(panel, row, col):
    return panel.model.index(row, col).data(Qt.ItemDataRole.DisplayRole)


def test_lists_calls_newest_first_after_a_restart(qtbot, tmp_path, events):
    first = HistorySession(tmp_path)
    finished_call(first, events, "v3:one")
    finished_call(first, events, "v3:two")
    first.close()
    # A restart: a fresh session over the same files still has the history.
    again = HistorySession(tmp_path)
    panel = HistoryPanel(again)
    qtbot.addWidget(panel)
    assert shown_ids(panel) == ["v3:two", "v3:one"]
    assert cell(panel, 0, COL_FROM) == "Ada Lovelace <+13125550100>"
    assert cell(panel, 0, COL_RESULT) == "Completed (hung up by caller)"
    assert panel.status.text() == "2 calls."
    assert panel.table.accessibleName() == "Past calls"
    assert panel.search.accessibleName() == "Search call history"
    again.close()


def test_reads_page_by_page_as_the_operator_scrolls(qtbot, tmp_path, events):
    session = HistorySession(tmp_path)
    for n in range(12):
        finished_call(session, events, f"v3:page-{n:02d}")
    panel = HistoryPanel(session, limit=5)
    qtbot.addWidget(panel)
    assert len(panel.entries) == 5 and "scroll down" in panel.status.text()
    assert panel.model.canFetchMore()
    panel.model.fetchMore()
    panel.model.fetchMore()
    panel.model.fetchMore()
    ids = shown_ids(panel)
    assert len(ids) == 12 and len(set(ids)) == 12  # each call once, no gap between pages
    assert not panel.model.canFetchMore()
    assert panel.status.text() == "12 calls."
    session.close()


def test_search_narrows_by_number_and_by_call_id(qtbot, panel, session, events):
    finished_call(session, events, "v3:a")
    session.deliver(events.call("call.initiated", "v3:b", **{"from": "+14155550177"}))
    panel.refresh()
    assert len(panel.entries) == 2

    panel.search.setText("415 555 0177")
    qtbot.waitUntil(lambda: shown_ids(panel) == ["v3:b"])
    assert panel.status.text() == "1 call matches."

    panel.search.setText("v3:a")
    panel.search.returnPressed.emit()  # Enter searches at once
    assert shown_ids(panel) == ["v3:a"]

    panel.search.setText("nothing-like-this")
    qtbot.waitUntil(lambda: panel.entries == [])
    assert panel.status.text() == "No calls match."


def test_date_range_filters_by_day(qtbot, panel, session, events):
    finished_call(session, events, "v3:today")
    panel.refresh()
    today = QDate.currentDate()
    panel.set_date_range(today.addDays(-10), today.addDays(-3))
    assert panel.entries == []
    panel.set_date_range(today)
    assert shown_ids(panel) == ["v3:today"]
    panel.set_date_range(None)
    assert not panel.range_check.isChecked()
    assert shown_ids(panel) == ["v3:today"]


def test_rows_arrive_and_update_as_calls_start_and_end(qtbot, panel, session, events):
    assert panel.status.text() == "No calls yet."
    session.deliver(events.initiated("v3:live"))
    session.deliver(events.answered("v3:live"))
    qtbot.waitUntil(lambda: shown_ids(panel) == ["v3:live"])
    assert cell(panel, 0, COL_RESULT) == "In progress"
    panel.table.selectRow(0)
    session.deliver(events.hangup("v3:live", cause="user_busy"))
    qtbot.waitUntil(lambda: cell(panel, 0, COL_RESULT) == "Busy")
    assert panel.selected_entry().call_control_id == "v3:live"  # selection kept
    session.deliver(events.initiated("v3:next"))
    qtbot.waitUntil(lambda: shown_ids(panel) == ["v3:next", "v3:live"])
    assert panel.selected_entry().call_control_id == "v3:live"


def test_export_writes_the_listed_calls(qtbot, panel, session, events, tmp_path):
    finished_call(session, events, "v3:x")
    finished_call(session, events, "v3:y")
    panel.refresh()
    panel.search.setText("v3:y")
    panel.refresh()
    path = tmp_path / "out.csv"
    assert panel.export_to(str(path)) == 1
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["call_control_id"] for r in rows] == ["v3:y"]
    assert rows[0]["from"] == "'+13125550100"
    assert str(path) in panel.status.text()


def test_export_failure_is_a_sentence(qtbot, panel, session, events, tmp_path):
    finished_call(session, events, "v3:x")
    panel.refresh()
    assert panel.export_to(tmp_path / "missing-dir" / "out.csv") is None
    assert panel.status.text().startswith("Export failed: could not write")
    assert "Traceback" not in panel.status.text()


def test_export_button_opens_a_non_modal_save_dialog(qtbot, panel, session, events, tmp_path):
    finished_call(session, events, "v3:x")
    panel.refresh()
    panel.export_button.click()
    dialog = panel.export_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowModality() != Qt.WindowModality.ApplicationModal
    target = tmp_path / "chosen.csv"
    dialog.fileSelected.emit(str(target))  # what accepting the dialog does
    dialog.close()
    assert target.exists()


def test_activating_a_row_calls_the_other_party_back(qtbot, panel, session, events):
    finished_call(session, events, "v3:call-back")
    panel.refresh()
    with qtbot.waitSignal(panel.call_back_requested) as asked:
        panel.table.activated.emit(panel.model.index(0, 0))
    assert asked.args == ["+13125550100"]  # the caller of an incoming call


def test_copy_call_id_button_copies_the_selected_call(qtbot, panel, session, events):
    finished_call(session, events, "v3:copy-me")
    panel.refresh()
    panel.copy_id_button.click()
    assert panel.status.text() == "Select a call first."
    panel.table.selectRow(0)
    panel.copy_id_button.click()
    assert QGuiApplication.clipboard().text() == "v3:copy-me"
    assert "v3:copy-me" in panel.status.text()


def test_before_the_session_started(qtbot, events):
    session = FakeSession()  # its history_table() is None, as the real one's before start
    panel = HistoryPanel(session)
    qtbot.addWidget(panel)
    assert panel.entries == []
    assert "once the console has started" in panel.status.text()


def test_a_broken_history_table_is_reported_in_words(qtbot, panel, session):
    session.conn.close()
    panel.refresh()
    assert panel.status.text().startswith("Could not read the call history:")
    assert "closed" in panel.status.text()


def test_close_panel_stops_listening(qtbot, panel, session, events):
    panel.close_panel()
    session.deliver(events.initiated("v3:after"))
    assert panel.entries == []  # the new row was not heard
