"""The call history table's Qt model: rows of CallHistoryEntry, newest first, page by page.

Apart from the panel (``history_panel.py``), which holds the search, the widgets and the
actions: the model only keeps rows in the history table's order, places a row the recorder
just wrote where it belongs (by bisection), reads the next page when the view asks, and words
each column.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from console.history import CallHistoryEntry
from console.history.table import call_key
from console.ui import formatting as fmt

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


def format_when(moment: datetime | None) -> str:
    moment = fmt.as_aware(moment)
    return "" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _order(entry: CallHistoryEntry, negated_key: str | None = None) -> tuple[float, str]:
    """Ascending in this key is newest first (the history table's page order)."""
    when = entry.started_at or entry.first_seen_at
    if negated_key is None:
        negated_key = _negated(call_key(entry))
    return (-(when.timestamp() if when else float("-inf")), negated_key)


def _negated(key: str) -> str:
    # call_key descending within one start time: compare on complemented code points.
    return "".join(chr(0x10FFFF - ord(c)) for c in key)


#: A row on its way in: its order, its key, the row.
_Arrival = tuple[tuple[float, str], str, CallHistoryEntry]


class HistoryModel(QAbstractTableModel):
    """Rows of CallHistoryEntry, newest first, read page by page (see the module doc)."""

    paged = Signal()  # a page was read (or there was none left)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries: list[CallHistoryEntry] = []
        self._orders: list[tuple[float, str]] = []  # _order of each row, for bisect
        self._rows_by_key: dict[str, CallHistoryEntry] = {}
        # The _order of each row by key: every store change asks where a call's row is, and
        # working the order out again (a string complemented per character) was most of it.
        self._order_by_key: dict[str, tuple[float, str]] = {}
        self.conference_names: Callable[[str], str | None] = lambda _cid: None
        self.is_live: Callable[[str], bool] = lambda _ccid: False
        self.next_page: Callable[[CallHistoryEntry], list[CallHistoryEntry]] | None = None
        self.exhausted = True

    def set_entries(self, entries: list[CallHistoryEntry], *, more: bool = False) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self._orders = [_order(e) for e in self.entries]
        self._rows_by_key = {call_key(e): e for e in self.entries}
        orders = zip(self.entries, self._orders, strict=True)
        self._order_by_key = {call_key(e): o for e, o in orders}
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
        orders = [_order(e) for e in page]
        self._orders += orders
        self._rows_by_key.update((call_key(e), e) for e in page)
        self._order_by_key.update((call_key(e), o) for e, o in zip(page, orders, strict=True))
        self.endInsertRows()
        self.paged.emit()

    # --- rows as the recorder writes them ----------------------------------------------------

    def put(self, entry: CallHistoryEntry) -> None:
        """Update the row of ``entry`` in place, or insert it where it belongs."""
        self.put_all([entry])

    def put_all(self, entries: Iterable[CallHistoryEntry]) -> None:
        """Rows the recorder wrote together: each updated in place, or inserted where it
        belongs (O(log n) to find; rows older than the last page read are left for paging).

        New rows that land together go in with one insert: a batch of new calls is one insert
        at the top, not one per call (each insert costs the view a layout pass).
        """
        latest = {call_key(entry): entry for entry in entries}  # a key twice: its last row
        arriving: list[_Arrival] = []
        for key, entry in latest.items():
            old_order = self._order_by_key.get(key)
            order = _order(entry, old_order[1] if old_order is not None else None)
            if old_order is not None:
                row = self._row_at(key, old_order)
                if row is not None and old_order == order:
                    self.entries[row] = entry
                    self._rows_by_key[key] = entry
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
                    continue
                if row is not None:  # its start time moved: take it out, put it back
                    self.beginRemoveRows(QModelIndex(), row, row)
                    del self.entries[row], self._orders[row]
                    self.endRemoveRows()
            arriving.append((order, key, entry))
        arriving.sort(key=lambda item: item[0])
        # Runs of rows that go before the same existing row, last run first: inserting a run
        # leaves the positions of the runs before it as they were.
        runs: list[tuple[int, list[_Arrival]]] = []  # (the row they go before, the rows)
        for item in arriving:
            row = bisect.bisect_left(self._orders, item[0])
            if runs and runs[-1][0] == row:
                runs[-1][1].append(item)
            else:
                runs.append((row, [item]))
        for row, run in reversed(runs):
            if row == len(self.entries) and not self.exhausted:
                for _order_of, key, _entry in run:  # older than what is loaded: paging brings it
                    self._rows_by_key.pop(key, None)
                    self._order_by_key.pop(key, None)
                continue
            self.beginInsertRows(QModelIndex(), row, row + len(run) - 1)
            self.entries[row:row] = [entry for _order_of, _key, entry in run]
            self._orders[row:row] = [order for order, _key, _entry in run]
            for order, key, entry in run:
                self._rows_by_key[key] = entry
                self._order_by_key[key] = order
            self.endInsertRows()

    def row_of(self, key: str) -> int | None:
        order = self._order_by_key.get(key)
        return self._row_at(key, order) if order is not None else None

    def _row_at(self, key: str, order: tuple[float, str]) -> int | None:
        row = bisect.bisect_left(self._orders, order)
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
