"""The call history panel: past calls from the journal, searchable, exportable as CSV."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
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

from console.history import DEFAULT_LIMIT, CallHistoryEntry, export_csv, search_history
from console.state.changes import Changes
from console.ui import formatting as fmt
from console.ui.messages import describe_error

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
REFRESH_DELAY_MS = 1000  # store changes within this window become one query


def format_when(moment: datetime | None) -> str:
    moment = fmt.as_aware(moment)
    return "" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


class HistoryModel(QAbstractTableModel):
    """Read-only rows of CallHistoryEntry, newest first (the order search_history returns)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[CallHistoryEntry] = []
        self.conference_names: Callable[[str], str | None] = lambda _cid: None
        self.is_live: Callable[[str], bool] = lambda _ccid: False

    def set_entries(self, entries: list[CallHistoryEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

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
            return fmt.hangup_text(entry.hangup_cause, entry.hangup_source)
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

    Reads ``session.journal`` on each query (it is opened when the session starts, so the panel
    may be built before it exists) and ``session.store`` to refresh when calls end.
    """

    def __init__(
        self,
        session: Any,
        parent: QWidget | None = None,
        *,
        limit: int = DEFAULT_LIMIT,
        subscribe: bool = True,
        refresh_delay_ms: int = REFRESH_DELAY_MS,
    ):
        super().__init__(parent)
        self.session = session
        self.limit = limit
        self.setObjectName("historyPanel")
        self.setAccessibleName("Call history")
        self.last_error: str | None = None
        self.last_export_path: Path | None = None
        self.export_dialog: QFileDialog | None = None

        self.model = HistoryModel(self)
        store = getattr(session, "store", None)
        if store is not None:
            self.model.conference_names = lambda cid: getattr(store.conference(cid), "name", None)
            self.model.is_live = lambda ccid: bool(getattr(store.call(ccid), "is_live", False))
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
        if subscribe and store is not None:
            self._unsubscribe = _subscribe(store, self.on_store_changes)
            # A dock is destroyed with the window: stop hearing the store before it is gone.
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
        self.table.doubleClicked.connect(lambda index: self.copy_call_id(index.row()))

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

    def refresh(self) -> None:
        """Run the search now (the journal is local SQLite and every query is bounded)."""
        self._search_timer.stop()
        self._refresh_timer.stop()
        journal = getattr(self.session, "journal", None)
        if journal is None or not hasattr(journal, "history"):
            self.model.set_entries([])
            self.export_button.setEnabled(False)
            self._show("Call history appears once the console has started.")
            return
        since, until = self.date_range()
        try:
            entries = search_history(
                journal, self.search.text(), since=since, until=until, limit=self.limit
            )
        except Exception as exc:
            self.last_error = f"Could not read the call history: {describe_error(exc)}"
            self._show(self.last_error)
            return
        self.last_error = None
        selected = self.selected_entry()
        self.model.set_entries(entries)
        if selected is not None:
            # A refresh (a call ended elsewhere) must not take the operator's selection away.
            for row, entry in enumerate(entries):
                if entry.call_id == selected.call_id:
                    self.table.selectRow(row)
                    break
        self.export_button.setEnabled(bool(entries))
        self._show(self._summary(len(entries)))

    def _summary(self, count: int) -> str:
        filtered = bool(self.search.text().strip()) or self.range_check.isChecked()
        if count == 0:
            return "No calls match." if filtered else "No calls yet."
        text = "1 call" if count == 1 else f"{count} calls"
        if filtered:
            text += " matches" if count == 1 else " match"
        if count >= self.limit:
            text += f" (the newest {self.limit}; narrow the search to see older ones)"
        return text + "."

    def on_store_changes(self, changes: Changes) -> None:
        """Schedule a refresh when calls start or end (debounced: events come in bursts)."""
        if not Shiboken.isValid(self):
            return
        store = getattr(self.session, "store", None)
        wanted = changes.reset or bool(changes.calls.added)
        if not wanted and store is not None:
            for ccid in changes.calls.changed:
                call = store.call(ccid)
                if call is None or not call.is_live:
                    wanted = True
                    break
        if wanted and not self._refresh_timer.isActive():
            self._refresh_timer.start()

    # --- actions ---------------------------------------------------------------------------

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


def _quietly(function: Callable[[], None]) -> Callable[..., None]:
    def run(*_args: object) -> None:
        try:
            function()
        except Exception:
            log.debug("ignored failure while closing the history panel", exc_info=True)

    return run
