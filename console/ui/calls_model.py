"""Table model of calls: row order (ccids) here, everything else read from the store.

The model decides which calls have a row and keeps the rows in place as the store changes
(one changed call, one row's dataChanged); what each cell of a row says is
console/ui/call_cells.py's, whose columns are named here too for the many callers (tables,
tests, benchmarks) that import them from this module.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QFont

from console.state.changes import Changes
from console.state.entities import Call
from console.ui import call_cells as cells
from console.ui import formatting as fmt
from console.ui import icons, theme
from console.ui.call_cells import (
    COL_DIRECTION,
    COL_DURATION,
    COL_ENDED,
    COL_FLAGS,
    COL_FROM,
    COL_STATE,
    COL_TO,
    COL_WHERE,
    HEADERS,
    TIPS,
    icon_strip,
)
from console.ui.long_calls import LongCalls
from console.ui.pending import PendingOps

__all__ = [
    "BADGES_ROLE",
    "CALL_ROLE",
    "CCID_ROLE",
    "COL_DIRECTION",
    "COL_DURATION",
    "COL_ENDED",
    "COL_FLAGS",
    "COL_FROM",
    "COL_STATE",
    "COL_TO",
    "COL_WHERE",
    "HEADERS",
    "SORT_ROLE",
    "CallsModel",
]

CCID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
CALL_ROLE = Qt.ItemDataRole.UserRole + 3
#: The flags cell's badges in words ("On hold · Muted"): the cell itself shows icons.
BADGES_ROLE = Qt.ItemDataRole.UserRole + 4

DEFAULT_WARN_SECS = 300.0  # 5 minutes: the timer turns amber
DEFAULT_ALERT_SECS = 900.0  # 15 minutes: red, and the row is tinted


def _arrival(call: Call) -> tuple[float, str]:
    started = fmt.as_aware(call.started_at)
    return (started.timestamp() if started else float("inf"), call.call_control_id)


class CallsModel(QAbstractTableModel):
    """Calls as rows. Updates are incremental: one changed call emits one row's dataChanged.

    Ended calls stay visible with their hangup cause for ``retention_secs``, then leave the
    model (only the model: the store and journal keep them).
    """

    def __init__(
        self,
        store,
        pending: PendingOps | None = None,
        retention_secs: float = 60.0,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.store = store
        self.pending = pending or PendingOps(self)
        self.retention_secs = retention_secs
        # The window sets this to the session's check for the operator's own phone leg.
        self.is_operator_leg: fmt.IsOperatorLeg | None = None
        #: ccid -> why the operator ended it ("Hung up by you"); the window shares the actions'.
        self.ended_notes: dict[str, str] = {}
        #: Where this console blind-transferred a call (the window sets it to the actions').
        self.transferred_to: Callable[[str], str | None] = lambda _ccid: None
        #: True while ended rows must not leave (the pointer is over the table): removing a
        #: row above the one aimed at would slide the target from under the pointer.
        self.hold_still: Callable[[], bool] = lambda: False
        #: The call timer turns amber, then red (and the row is tinted), at these ages.
        self.warn_after_secs = DEFAULT_WARN_SECS
        self._long_calls = LongCalls(DEFAULT_ALERT_SECS)  # live rows past the alert age (tinted)
        self._held_since: dict[str, datetime] = {}  # when the console saw each call go on hold
        self._rows: list[str] = []
        self._live: set[str] = set()  # rows whose call is live: the tick repaints their timers
        self._index: dict[str, int] = {}
        self._expiry: dict[str, float] = {}  # ccid -> monotonic time its ended row goes
        self.pending.changed.connect(self._on_pending)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.tick)
        self._ticker.start()
        self._load()

    @property
    def alert_after_secs(self) -> float:
        """The call timer turns red, and the row is tinted, at this age."""
        return self._long_calls.alert_after_secs

    @alert_after_secs.setter
    def alert_after_secs(self, secs: float) -> None:
        changed = self._long_calls.retime(secs, self._row_calls())
        for ccid in changed:
            self._repaint_row(ccid)

    # --- row bookkeeping ------------------------------------------------------------------

    def ccids(self) -> list[str]:
        return list(self._rows)

    def row_of(self, ccid: str) -> int | None:
        return self._index.get(ccid)

    def ccid_at(self, row: int) -> str:
        return self._rows[row]

    def _reindex(self, start: int = 0) -> None:
        for row in range(start, len(self._rows)):
            self._index[self._rows[row]] = row

    def _wanted(self, call: Call | None, clock: float) -> bool:
        if call is None:
            return False
        if call.is_live:
            return True
        ended = fmt.as_aware(call.ended_at)
        if ended is None:
            return self.retention_secs > 0
        return (fmt.now() - ended).total_seconds() < self.retention_secs

    def _load(self) -> None:
        clock = time.monotonic()
        wanted = [c for c in self.store.calls.values() if self._wanted(c, clock)]
        self._rows = [c.call_control_id for c in sorted(wanted, key=_arrival)]
        self._index = {ccid: row for row, ccid in enumerate(self._rows)}
        self._expiry = {}
        for ccid in self._rows:
            self._note_hold(ccid)
        for ccid in self._rows:
            call = self.store.call(ccid)
            if call is not None and not call.is_live:
                self._schedule_expiry(call, clock)
        self._live = {c.call_control_id for c in self._row_calls() if c.is_live}
        self._long_calls.retime(self.alert_after_secs, self._row_calls())

    def _row_calls(self) -> Iterable[Call]:
        return (c for c in map(self.store.call, self._rows) if c is not None)

    def _note_live(self, call: Call | None, ccid: str) -> None:
        """A row's call was added or changed: keep the live rows and long calls true."""
        if call is not None and call.is_live:
            self._live.add(ccid)
        else:
            self._live.discard(ccid)
        if call is not None:
            self._long_calls.note(call)
        else:
            self._long_calls.forget(ccid)

    def _schedule_expiry(self, call: Call, clock: float) -> None:
        ended = fmt.as_aware(call.ended_at)
        age = (fmt.now() - ended).total_seconds() if ended else 0.0
        self._expiry.setdefault(call.call_control_id, clock + max(0.0, self.retention_secs - age))

    # --- applying store changes -----------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        if changes.reset:
            self.beginResetModel()
            self._load()
            self.endResetModel()
            return
        calls = changes.calls
        if calls.removed:
            self._remove(calls.removed)
        clock = time.monotonic()
        fresh = [
            call
            for call in map(self.store.call, calls.added | calls.changed)
            if call is not None
            and call.call_control_id not in self._index
            and self._wanted(call, clock)
        ]
        # Appended in the order the calls started: the rows above never move.
        new = [call.call_control_id for call in sorted(fresh, key=_arrival)]
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self._reindex(first)
            self.endInsertRows()
        last = self.columnCount() - 1
        for ccid in calls.changed | calls.added:
            self._note_hold(ccid)
            row = self._index.get(ccid)
            if row is None or ccid in new:
                continue
            call = self.store.call(ccid)
            self._note_live(call, ccid)
            if call is not None and not call.is_live:
                self._schedule_expiry(call, clock)
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        for ccid in new:
            call = self.store.call(ccid)
            self._note_live(call, ccid)
            if call is not None and not call.is_live:
                self._schedule_expiry(call, clock)

    def _note_hold(self, ccid: str) -> None:
        call = self.store.call(ccid)
        if call is not None and call.on_hold and call.is_live:
            self._held_since.setdefault(ccid, fmt.now())
        else:
            self._held_since.pop(ccid, None)

    def held_for(self, call: Call) -> float | None:
        """Seconds the call has been on hold (since the console saw it held)."""
        if not call.on_hold:
            self._held_since.pop(call.call_control_id, None)
            return None
        # Hold arrives as a participant change as often as a call change: start the clock
        # the first time the row is drawn held, too.
        since = self._held_since.setdefault(call.call_control_id, fmt.now())
        return fmt.seconds_between(since, fmt.now())

    def _remove(self, ccids: Iterable[str]) -> None:
        rows = sorted((self._index[c] for c in ccids if c in self._index), reverse=True)
        for row in rows:
            ccid = self._rows[row]
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            del self._index[ccid]
            self._expiry.pop(ccid, None)
            self._held_since.pop(ccid, None)
            self._live.discard(ccid)
            self._long_calls.forget(ccid)
            self._reindex(row)
            self.endRemoveRows()

    def set_retention(self, secs: float) -> None:
        self.retention_secs = secs

    def tick(self, clock: float | None = None) -> None:
        """Once a second: drop expired ended rows; repaint the duration cells of live rows."""
        clock = time.monotonic() if clock is None else clock
        expired = [ccid for ccid, at in self._expiry.items() if at <= clock]
        if expired and not self.hold_still():
            self._remove(expired)
        # One dataChanged per contiguous run of live rows, for the state (hold timer) and
        # time columns: a set lookup per row, not a store lookup (5,000 live calls).
        live = self._live
        start = None
        for row, ccid in enumerate([*self._rows, None]):
            if ccid in live:
                if start is None:
                    start = row
            elif start is not None:
                self.dataChanged.emit(
                    self.index(start, COL_STATE), self.index(row - 1, COL_DURATION)
                )
                start = None
        # A row that just became a long call is repainted whole (its tint).
        for ccid in self._long_calls.turned_long(self.store.call):
            self._repaint_row(ccid)

    def _repaint_row(self, ccid: str) -> None:
        row = self._index.get(ccid)
        if row is not None:
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def _on_pending(self, ccid: str) -> None:
        row = self._index.get(ccid)
        if row is not None:
            idx = self.index(row, COL_STATE)
            self.dataChanged.emit(idx, idx)

    # --- Qt model interface ---------------------------------------------------------------

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(HEADERS):
            if role == Qt.ItemDataRole.DisplayRole:
                return HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return TIPS.get(section)
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        ccid = self._rows[index.row()]
        if role == CCID_ROLE:
            return ccid
        call = self.store.call(ccid)
        if call is None:
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return cells.display(self, call, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return cells.tooltip(self, call, col)
        if role == Qt.ItemDataRole.DecorationRole and col == COL_DIRECTION:
            return icons.icon("incoming" if call.direction == "incoming" else "outgoing")
        if role == Qt.ItemDataRole.DecorationRole and col == COL_STATE and ccid in self.pending:
            return icons.icon("pending")
        if role == Qt.ItemDataRole.DecorationRole and col == COL_FLAGS:
            names = tuple(name for _w, _t, name in cells.row_badges(self, call))
            return icon_strip(names) if names else None
        if role == BADGES_ROLE:
            return " · ".join(word for word, _t, _n in cells.row_badges(self, call))
        if role == Qt.ItemDataRole.ForegroundRole:
            if not call.is_live:
                return QBrush(theme.color("ended"))
            if col == COL_DURATION:
                level = cells.timer_level(self, call)
                return QBrush(theme.color(level)) if level else None
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            tint = cells.tint(self, call)
            return QBrush(theme.color(tint)) if tint else None
        if role == Qt.ItemDataRole.FontRole and col == COL_STATE and ccid in self.pending:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.AccessibleTextRole:
            shown = (
                self.data(index, BADGES_ROLE)
                if col == COL_FLAGS
                else cells.display(self, call, col)
            )
            return f"{HEADERS[col] or TIPS[col]}: {shown}"
        if role == SORT_ROLE:
            started = fmt.as_aware(call.started_at)
            return started.timestamp() if started else 0.0
        if role == CALL_ROLE:
            return call
        return None
