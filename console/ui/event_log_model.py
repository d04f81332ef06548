"""The event log's table model (append-only, bounded, rows inserted in batches) and the proxy
that filters it by event type and by text.

Split out of console/ui/event_log.py (issue 11): the dock builds the widgets around these.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush

from console.ui import formatting as fmt
from console.ui import theme
from console.ui.event_log_entries import REJECTED, LogEntry

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 30
HEADERS = ["Received", "Type", "Call", "Attempt", "Delay", "Detail"]
COL_TIME, COL_TYPE, COL_CALL, COL_ATTEMPT, COL_DELAY, COL_DETAIL = range(6)


class EventLogModel(QAbstractTableModel):
    """Append-only, bounded: the oldest rows go in chunks so memory stays flat."""

    def __init__(self, max_rows: int = 5000, delay_ms: int = 30, parent: QObject | None = None):
        super().__init__(parent)
        self.max_rows = max_rows
        self._entries: list[LogEntry] = []
        self._incoming: list[LogEntry] = []
        self.event_types: set[str] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self.flush)

    def entries(self) -> list[LogEntry]:
        return list(self._entries)

    def entry(self, row: int) -> LogEntry:
        return self._entries[row]

    def append(self, entry: LogEntry) -> None:
        """Queue a row; rows arriving together are inserted with one beginInsertRows."""
        self._incoming.append(entry)
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        if not self._incoming:
            return
        batch, self._incoming = self._incoming[-self.max_rows :], []
        # Known before rowsInserted fires, so the dock's type filter can offer them at once.
        self.event_types.update(e.event_type for e in batch if not e.rejected)
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(batch) - 1)
        self._entries.extend(batch)
        self.endInsertRows()
        # Trim in chunks of 10% so a busy log does not shift the whole list for every row.
        excess = len(self._entries) - self.max_rows
        if excess > 0:
            excess = max(excess, min(len(self._entries), self.max_rows // 10))
            self.beginRemoveRows(QModelIndex(), 0, excess - 1)
            del self._entries[:excess]
            self.endRemoveRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        entry = self._entries[index.row()]
        col = index.column()
        if role == ENTRY_ROLE:
            return entry
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_TIME:
                return fmt.format_time(entry.received_at)
            if col == COL_TYPE:
                return "REJECTED" if entry.rejected else entry.event_type
            if col == COL_CALL:
                return fmt.short_id(entry.call_control_id)
            if col == COL_ATTEMPT:
                return "" if entry.attempt is None else str(entry.attempt)
            if col == COL_DELAY:
                return "" if entry.delay_secs is None else f"{entry.delay_secs:.1f} s"
            if col == COL_DETAIL:
                return entry.detail
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == COL_CALL and entry.call_control_id:
                return entry.call_control_id
            if entry.rejected:
                return f"Rejected webhook: {entry.detail}"
            if col == COL_ATTEMPT and entry.attempt and entry.attempt > 1:
                return f"Telnyx retried this webhook (attempt {entry.attempt})"
        if entry.rejected:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(theme.color("rejected"))
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(theme.color("rejected_text"))
        return None


class EventFilterProxy(QSortFilterProxyModel):
    """Filters by event type (exact) and by text in the call id, type or detail."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._text = ""
        self._type: str | None = None

    def set_text(self, text: str) -> None:
        self.beginFilterChange()
        self._text = text.strip().lower()
        self.endFilterChange()

    def set_event_type(self, event_type: str | None) -> None:
        self.beginFilterChange()
        self._type = event_type or None
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        entry: LogEntry = cast(EventLogModel, self.sourceModel()).entry(source_row)
        if self._type == REJECTED and not entry.rejected:
            return False
        if self._type not in (None, REJECTED) and entry.event_type != self._type:
            return False
        if not self._text:
            return True
        haystack = f"{entry.call_control_id or ''} {entry.event_type} {entry.detail}".lower()
        return self._text in haystack
