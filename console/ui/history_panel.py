"""The call history panel: past calls, searchable, read page by page, exportable as CSV.

Rows come from the history table (``console/history/table.py``), never from raw events: the
first page when the panel opens or the search changes, the next page when the operator
scrolls to the end (``fetchMore``), and single rows as the history recorder writes them
(``session.on_history``): a call that ended updates its row in place, a new call is inserted
where it belongs. So opening the panel costs one page whatever the history's size.
"""

from __future__ import annotations

import bisect
import logging
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from console.history import CallHistoryEntry, export_csv
from console.history.table import HistoryTable, call_key, mark_of
from console.state.changes import Changes
from console.state.entities import Call, Conference
from console.ui import formatting as fmt
from console.ui.messages import describe_error

if TYPE_CHECKING:
    from console.session_api import ConsoleApi

log = logging.getLogger(__name__)

COLUMNS = ("Started", "Dir.", "From", "To", "Duration", "Result", "Rec.", "Where", "Call id")
(
    COL_STARTED,
    COL_DIRECTION,
    COL_FROM,
    COL_TO,
    COL_DURATION,
    COL_RESULT,
    COL_RECORDINGS,
    COL_WHERE,
    COL_CALL_ID,
) = range(len(COLUMNS))

#: Role that returns the CallHistoryEntry of a row.
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_DELAY_MS = 300  # typing pauses this long before the query runs
REFRESH_DELAY_MS = 1000  # kept for callers; rows now arrive one by one, not by re-query
PAGE_SIZE = 200  # rows read per page (the first when the panel opens, more as it scrolls)


def format_when(moment: datetime | None) -> str:
    moment = fmt.as_aware(moment)
    return "" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _order(entry: CallHistoryEntry) -> tuple[float, str]:
    """Ascending in this key is newest first (the history table's page order)."""
    when = entry.started_at or entry.first_seen_at
    return (-(when.timestamp() if when else float("-inf")), _negated(call_key(entry)))


def _negated(key: str) -> str:
    # call_key descending within one start time: compare on complemented code points.
    return "".join(chr(0x10FFFF - ord(c)) for c in key)


class HistoryModel(QAbstractTableModel):
    """Rows of CallHistoryEntry, newest first, read page by page (see the module doc)."""

    paged = Signal()  # a page was read (or there was none left)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[CallHistoryEntry] = []
        self._orders: list[tuple[float, str]] = []  # _order of each row, for bisect
        self._rows_by_key: dict[str, CallHistoryEntry] = {}
        self.conference_names: Callable[[str], str | None] = lambda _cid: None
        self.is_live: Callable[[str], bool] = lambda _ccid: False
        self.next_page: Callable[[CallHistoryEntry], list[CallHistoryEntry]] | None = None
        self.exhausted = True

    def set_entries(self, entries: list[CallHistoryEntry], *, more: bool = False) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self._orders = [_order(e) for e in self.entries]
        self._rows_by_key = {call_key(e): e for e in self.entries}
        self.exhausted = not more
        self.endResetModel()

    # --- paging (the view asks when the operator scrolls to the end) -----------------------

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and not self.exhausted and self.next_page is not None

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid() or self.next_page is None or not self.entries:
            self.exhausted = True
            return
        raw = self.next_page(self.entries[-1])
        page = [e for e in raw if call_key(e) not in self._rows_by_key]
        while raw and not page:  # every row of this page arrived live already: read on
            raw = self.next_page(raw[-1])
            page = [e for e in raw if call_key(e) not in self._rows_by_key]
        if not page:
            self.exhausted = True
            self.paged.emit()
            return
        first = len(self.entries)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self.entries += page
        self._orders += [_order(e) for e in page]
        self._rows_by_key.update((call_key(e), e) for e in page)
        self.endInsertRows()
        self.paged.emit()

    # --- rows as the recorder writes them ----------------------------------------------------

    def put(self, entry: CallHistoryEntry) -> None:
        """Update the row of ``entry`` in place, or insert it where it belongs (O(log n) to
        find; rows older than the last page read are left for paging)."""
        key = call_key(entry)
        old = self._rows_by_key.get(key)
        if old is not None:
            row = bisect.bisect_left(self._orders, _order(old))
            while row < len(self.entries) and call_key(self.entries[row]) != key:
                row += 1
            if row < len(self.entries) and _order(old) == _order(entry):
                self.entries[row] = entry
                self._rows_by_key[key] = entry
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                return
            if row < len(self.entries):  # its start time moved: take it out, put it back
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.entries[row], self._orders[row]
                self.endRemoveRows()
        order = _order(entry)
        row = bisect.bisect_left(self._orders, order)
        if row == len(self.entries) and not self.exhausted:
            self._rows_by_key.pop(key, None)
            return  # older than what is loaded: the next page brings it
        self.beginInsertRows(QModelIndex(), row, row)
        self.entries.insert(row, entry)
        self._orders.insert(row, order)
        self._rows_by_key[key] = entry
        self.endInsertRows()

    def row_of(self, key: str) -> int | None:
        entry = self._rows_by_key.get(key)
        if entry is None:
            return None
        row = bisect.bisect_left(self._orders, _order(entry))
        while row < len(self.entries):
            if call_key(self.entries[row]) == key:
                return row
            row += 1
        return None

    def entry(self, row: int) -> CallHistoryEntry | None:
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, index.column())
        return None

    def _result(self, entry: CallHistoryEntry) -> str:
        if entry.ended:
            return fmt.hangup_text(entry.hangup_cause, entry.hangup_source, entry.direction)
        if entry.call_control_id and self.is_live(entry.call_control_id):
            return "In progress"
        # The console was not running (or not reachable) when this call ended.
        return "No hangup recorded"

    def _where(self, entry: CallHistoryEntry) -> str:
        places = [
            self.conference_names(c) or f"conference {fmt.short_id(c)}"
            for c in entry.conference_ids
        ]
        places += [f"queue {q}" for q in entry.queue_names]
        return ", ".join(places)

    def _text(self, entry: CallHistoryEntry, column: int) -> str:
        if column == COL_STARTED:
            return format_when(entry.when)
        if column == COL_DIRECTION:
            return fmt.direction_text(entry.direction)
        if column == COL_FROM:
            return fmt.party(entry.from_number, entry.caller_name)
        if column == COL_TO:
            return entry.to_number or "unknown"
        if column == COL_DURATION:
            return fmt.format_duration(entry.duration_secs)
        if column == COL_RESULT:
            return self._result(entry)
        if column == COL_RECORDINGS:
            return str(entry.recording_count) if entry.recording_count else ""
        if column == COL_WHERE:
            return self._where(entry)
        if column == COL_CALL_ID:
            return fmt.short_id(entry.call_id, 12)
        return ""

    def _tooltip(self, entry: CallHistoryEntry, column: int) -> str:
        if column == COL_RESULT and entry.ended:
            return fmt.hangup_tooltip(
                entry.hangup_cause, entry.hangup_source, entry.sip_hangup_cause
            )
        if column == COL_RECORDINGS and entry.recording_urls:
            return "\n".join(entry.recording_urls)
        lines = [f"Call id: {entry.call_id}  (double-click to copy)"]
        if entry.call_session_id:
            lines.append(f"Session: {entry.call_session_id}")
        if entry.answered_at:
            lines.append(f"Answered: {format_when(entry.answered_at)}")
        if entry.ended_at:
            lines.append(f"Ended: {format_when(entry.ended_at)}")
        return "\n".join(lines)


def _local_bound(day: QDate, end: bool) -> float:
    """Local midnight at the start of ``day`` (or of the day after, for an end bound)."""
    moment = datetime.combine(cast(date, day.toPython()), time.min).astimezone()
    if end:
        moment += timedelta(days=1)
    return moment.timestamp() - (0.000001 if end else 0.0)


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

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
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
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Number or call id")
        self.search.setAccessibleName("Search call history")
        self.search.setToolTip("Part of a phone number, or a call control, leg or session id")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self.refresh)

        self.range_check = QCheckBox("Between", self)
        self.range_check.setAccessibleName("Limit history to a date range")
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-7), self)
        self.date_to = QDateEdit(today, self)
        for edit, name in ((self.date_from, "From date"), (self.date_to, "To date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
            edit.setEnabled(False)
            edit.dateChanged.connect(lambda _d: self._search_timer.start())
        self.range_check.toggled.connect(self._range_toggled)
        and_label = QLabel("and", self)

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
        top.addWidget(self.search, 1)
        top.addWidget(self.range_check)
        top.addWidget(self.date_from)
        top.addWidget(and_label)
        top.addWidget(self.date_to)
        top.addWidget(self.refresh_button)
        top.addWidget(self.copy_id_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    def _range_toggled(self, on: bool) -> None:
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)
        self.refresh()

    # --- querying --------------------------------------------------------------------------

    @property
    def entries(self) -> list[CallHistoryEntry]:
        return list(self.model.entries)

    def selected_entry(self) -> CallHistoryEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()) if rows else None

    def date_range(self) -> tuple[float | None, float | None]:
        if not self.range_check.isChecked():
            return None, None
        start, end = self.date_from.date(), self.date_to.date()
        if end < start:
            start, end = end, start
        return _local_bound(start, end=False), _local_bound(end, end=True)

    def set_date_range(self, start: QDate | None, end: QDate | None = None) -> None:
        """Limit to whole local days (None clears the range); refreshes."""
        if start is None:
            self.range_check.setChecked(False)
            return
        self._search_timer.stop()
        self.date_from.setDate(start)
        self.date_to.setDate(end or start)
        if self.range_check.isChecked():
            self.refresh()
        else:
            self.range_check.setChecked(True)

    def _table(self) -> HistoryTable | None:
        return self.session.history_table()

    def refresh(self) -> None:
        """Read the first page of the current search now (one indexed query)."""
        self._search_timer.stop()
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

    def _filtered(self) -> bool:
        return bool(self.search.text().strip()) or self.range_check.isChecked()

    def _summary(self) -> str:
        count = len(self.model.entries)
        filtered = self._filtered()
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
        if self._filtered():
            if not self._refresh_timer.isActive():
                self._refresh_timer.start()
            return
        was_empty = not self.model.entries
        for entry in entries:
            self.model.put(entry)
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
            dialog = QFileDialog(self, "Export call history")
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setFileMode(QFileDialog.FileMode.AnyFile)
            dialog.setNameFilters(["CSV files (*.csv)", "All files (*)"])
            dialog.setDefaultSuffix("csv")
            dialog.setAccessibleName("Export call history")
            dialog.fileSelected.connect(self.export_to)
            self.export_dialog = dialog
        stamp = datetime.now(UTC).astimezone().strftime("%Y%m%d-%H%M")
        self.export_dialog.selectFile(f"call-history-{stamp}.csv")
        self.export_dialog.open()

    def export_to(self, path: str | Path) -> int | None:
        """Write the listed calls to ``path`` as CSV; returns the row count (None on failure)."""
        path = Path(path)
        entries = self.model.entries
        try:
            count = export_csv(entries, path)
        except OSError as exc:
            reason = exc.strerror or str(exc) or type(exc).__name__
            self.last_error = f"Export failed: could not write {path}: {reason}"
            self._show(self.last_error)
            return None
        except Exception as exc:
            self.last_error = f"Export failed: {describe_error(exc)}"
            self._show(self.last_error)
            return None
        self.last_error = None
        self.last_export_path = path
        noun = "call" if count == 1 else "calls"
        self._show(f"Exported {count} {noun} to {path}")
        return count

    def _show(self, text: str) -> None:
        self.status.setText(text)
        self.status.setAccessibleDescription(text)

    def close_panel(self) -> None:
        """Stop listening to the store (the window calls this when it closes)."""
        self._refresh_timer.stop()
        self._search_timer.stop()
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
