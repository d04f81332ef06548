"""The call history panel: past calls, searchable, read page by page, exportable as CSV.

Rows come from the history table (``console/history/table.py``), never from raw events: the
first page when the panel opens or the search changes, the next page when the operator
scrolls to the end (``fetchMore``), and single rows as the history recorder writes them
(``session.on_history``): a call that ended updates its row in place, a new call is inserted
where it belongs. So opening the panel costs one page whatever the history's size.

The rows and their words are the model's (``history_model.py``), the CSV export's dialog and
outcome ``history_export.py``'s; this module holds the search, the widgets and the actions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from console.history import CallHistoryEntry
from console.history.table import HistoryTable, call_key, mark_of
from console.state.changes import Changes
from console.state.entities import Call, Conference
from console.ui.history_export import export_dialog, export_file_name, write_csv
from console.ui.history_model import COL_RESULT, HistoryModel
from console.ui.history_search import HistorySearch
from console.ui.messages import describe_error

if TYPE_CHECKING:
    from console.session_api import ConsoleApi

log = logging.getLogger(__name__)

REFRESH_DELAY_MS = 1000  # kept for callers; rows now arrive one by one, not by re-query
PAGE_SIZE = 200  # rows read per page (the first when the panel opens, more as it scrolls)


class HistoryPanel(QWidget):
    """Search box, optional date range, table of past calls, refresh and CSV export.

    Reads ``session.history_table()`` (None until the session has started, so the panel may be
    built before) a page at a time, and hears new rows from ``session.on_history``.
    ``call_back_requested(number)`` is emitted when the operator activates a row (Enter or a
    double-click): the window dials the other party.
    """

    call_back_requested = Signal(str)

    def __init__(
        self,
        session: ConsoleApi,
        parent: QWidget | None = None,
        *,
        limit: int = PAGE_SIZE,
        subscribe: bool = True,
        refresh_delay_ms: int = REFRESH_DELAY_MS,
    ):
        super().__init__(parent)
        self.session = session
        self.limit = limit  # rows per page
        self.setObjectName("historyPanel")
        self.setAccessibleName("Call history")
        self.last_error: str | None = None
        self.last_export_path: Path | None = None
        #: Reads a page instead of ``HistoryTable.page`` (same arguments), e.g. the desk's,
        #: which also matches notes and dispositions. None: the history table alone.
        self.pager: Callable[..., list[CallHistoryEntry]] | None = None
        self.export_dialog: QFileDialog | None = None

        self.model = HistoryModel(self)
        self.model.next_page = self._next_page
        self.model.paged.connect(lambda: self._show(self._summary()))
        store = session.store
        self.model.conference_names = lambda cid: _conference_name(store.conference(cid))
        self.model.is_live = lambda ccid: _is_live(store.call(ccid))
        self._build()

        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(refresh_delay_ms)
        self._refresh_timer.timeout.connect(self.refresh)

        self._unsubscribe: Callable[[], None] | None = None
        removers: list[Callable[[], None]] = []
        removers.append(session.on_history(self._guarded_rows))
        if subscribe:  # (the window passes store changes on itself)
            removers.append(_subscribe(store, self.on_store_changes))
        self._unsubscribe = _all(removers)
        # A dock is destroyed with the window: stop hearing the session before it is gone.
        self.destroyed.connect(_quietly(self._unsubscribe))
        self.refresh()

    # --- widgets ---------------------------------------------------------------------------

    def _build(self) -> None:
        self._search = HistorySearch(self, self.refresh)
        self.search = self._search.search
        self.range_check = self._search.range_check

        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.setAccessibleName("Refresh call history")
        self.refresh_button.clicked.connect(self.refresh)
        self.export_button = QPushButton("Export CSV…", self)
        self.export_button.setAccessibleName("Export call history as CSV")
        self.export_button.setToolTip("Save the calls listed below as a CSV file")
        self.export_button.clicked.connect(self.choose_export_file)

        self.table = QTableView(self)
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName("Past calls")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.activated.connect(lambda index: self.call_back(index.row()))
        self.copy_id_button = QPushButton("Copy call id", self)
        self.copy_id_button.setAccessibleName("Copy the selected call's id")
        self.copy_id_button.setToolTip("Copy the selected call's call control id (for support)")
        self.copy_id_button.clicked.connect(self._copy_selected_id)

        self.status = QLabel(self)
        self.status.setAccessibleName("Call history status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QHBoxLayout()
        for widget in self._search.widgets():
            top.addWidget(widget, 1 if widget is self.search else 0)
        top.addWidget(self.refresh_button)
        top.addWidget(self.copy_id_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    # --- querying --------------------------------------------------------------------------

    @property
    def entries(self) -> list[CallHistoryEntry]:
        return list(self.model.entries)

    def selected_entry(self) -> CallHistoryEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def date_range(self) -> tuple[float | None, float | None]:
        return self._search.date_range()

    def set_date_range(self, start: QDate | None, end: QDate | None = None) -> None:
        """Limit to whole local days (None clears the range); refreshes."""
        self._search.set_date_range(start, end)

    def _table(self) -> HistoryTable | None:
        return self.session.history_table()

    def refresh(self) -> None:
        """Read the first page of the current search now (one indexed query)."""
        self._search.timer.stop()
        self._refresh_timer.stop()
        table = self._table()
        if table is None:
            self.model.set_entries([])
            self.export_button.setEnabled(False)
            self._show("Call history appears once the console has started.")
            return
        since, until = self.date_range()
        page = self.pager or table.page
        try:
            entries = page(self.search.text(), since=since, until=until, limit=self.limit)
        except Exception as exc:
            self.last_error = f"Could not read the call history: {describe_error(exc)}"
            self._show(self.last_error)
            return
        self.last_error = None
        selected = self.selected_entry()
        self.model.set_entries(entries, more=len(entries) >= self.limit)
        if selected is not None:
            # A refresh must not take the operator's selection away.
            row = self.model.row_of(call_key(selected))
            if row is not None:
                self.table.selectRow(row)
        self.export_button.setEnabled(bool(entries))
        self._show(self._summary())

    def set_pager(
        self, pager: Callable[..., list[CallHistoryEntry]] | None, placeholder: str, tip: str
    ) -> None:
        """Search with ``pager`` from now on (None: the history table), saying so in the box."""
        self.pager = pager
        self.search.setPlaceholderText(placeholder)
        self.search.setToolTip(tip)
        self.refresh()

    def _next_page(self, last: CallHistoryEntry) -> list[CallHistoryEntry]:
        table = self._table()
        if table is None:
            return []
        since, until = self.date_range()
        page = self.pager or table.page
        try:
            return page(
                self.search.text(), since=since, until=until, after=mark_of(last), limit=self.limit
            )
        except Exception as exc:
            self.last_error = f"Could not read more call history: {describe_error(exc)}"
            self._show(self.last_error)
            return []

    def _summary(self) -> str:
        count = len(self.model.entries)
        filtered = self._search.filtered()
        if count == 0:
            return "No calls match." if filtered else "No calls yet."
        text = "1 call" if count == 1 else f"{count} calls"
        if filtered:
            text += " matches" if count == 1 else " match"
        if not self.model.exhausted:
            text += " so far (scroll down for older ones)"
        return text + "."

    def _guarded_rows(self, entries: Sequence[CallHistoryEntry]) -> None:
        if Shiboken.isValid(self):
            self.on_history_rows(entries)

    def on_history_rows(self, entries: Sequence[CallHistoryEntry]) -> None:
        """Rows the recorder just wrote: shown at once when no search narrows the list; with
        a search, matching is the table's job, so the search runs again (debounced)."""
        if self._search.filtered():
            if not self._refresh_timer.isActive():
                self._refresh_timer.start()
            return
        was_empty = not self.model.entries
        self.model.put_all(entries)
        if was_empty != (not self.model.entries):
            self.export_button.setEnabled(bool(self.model.entries))
        self._show(self._summary())

    def on_store_changes(self, changes: Changes) -> None:
        """The "In progress" text depends on the store: repaint the Result column."""
        if not Shiboken.isValid(self) or not self.model.entries:
            return
        for ccid in changes.calls.changed | changes.calls.removed:
            row = self.model.row_of(ccid)
            if row is not None:
                index = self.model.index(row, COL_RESULT)
                self.model.dataChanged.emit(index, index)

    # --- actions ---------------------------------------------------------------------------

    def call_back(self, row: int) -> str | None:
        """Ask the window to call the other party of ``row`` (the caller of an incoming call,
        the number dialled for an outgoing one)."""
        entry = self.model.entry(row)
        if entry is None:
            return None
        number = entry.to_number if entry.direction == "outgoing" else entry.from_number
        if not number:
            self._show("This call has no number to call back.")
            return None
        self.call_back_requested.emit(number)
        self._show(f"Calling back {number}…")
        return number

    def _copy_selected_id(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.copy_call_id(rows[0].row())
        else:
            self._show("Select a call first.")

    def copy_call_id(self, row: int) -> str | None:
        entry = self.model.entry(row)
        if entry is None or not entry.call_id:
            return None
        QGuiApplication.clipboard().setText(entry.call_id)
        self._show(f"Copied call id {entry.call_id}")
        return entry.call_id

    def choose_export_file(self) -> None:
        """Ask where to save (non-modal: the console keeps running while the dialog is open)."""
        if self.export_dialog is None:
            self.export_dialog = export_dialog(self, self.export_to)
        self.export_dialog.selectFile(export_file_name())
        self.export_dialog.open()

    def export_to(self, path: str | Path) -> int | None:
        """Write the listed calls to ``path`` as CSV; returns the row count (None on failure)."""
        path = Path(path)
        count, message = write_csv(self.model.entries, path)
        if count is None:
            self.last_error = message
        else:
            self.last_error = None
            self.last_export_path = path
        self._show(message)
        return count

    def _show(self, text: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleDescription(text)

    def close_panel(self) -> None:
        """Stop listening to the store (the window calls this when it closes)."""
        self._refresh_timer.stop()
        self._search.timer.stop()
        if self._unsubscribe is not None:
            unsubscribe, self._unsubscribe = self._unsubscribe, None
            unsubscribe()


def _subscribe(store: Any, listener: Callable[[Changes], None]) -> Callable[[], None]:
    unsubscribe = store.subscribe(listener)
    if callable(unsubscribe):
        return unsubscribe
    return lambda: store.unsubscribe(listener)


def _all(functions: list[Callable[[], None]]) -> Callable[[], None]:
    def run() -> None:
        for function in functions:
            function()

    return run


def _quietly(function: Callable[[], None]) -> Callable[..., None]:
    def run(*_args: object) -> None:
        try:
            function()
        except Exception:
            log.debug("ignored failure while closing the history panel", exc_info=True)

    return run


def _conference_name(conference: Conference | None) -> str | None:
    return conference.name if conference is not None else None


def _is_live(call: Call | None) -> bool:
    return call is not None and call.is_live
