"""Tree model of queues (top level) and the calls waiting in each (children), ticking waits."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QBrush, QFont

from console.state.changes import Changes
from console.state.entities import Queue, QueueEntry
from console.ui import formatting as fmt
from console.ui import theme
from console.ui.grouped_model import GroupedModel

QUEUE_ROLE = Qt.ItemDataRole.UserRole + 20
WAITER_ROLE = Qt.ItemDataRole.UserRole + 21  # ccid on waiter rows

COL_NAME, COL_POSITION, COL_WAIT, COL_AVERAGE = range(4)


class QueuesModel(GroupedModel):
    """Queues with their waiters in position order; the oldest waiter of each is highlighted."""

    HEADERS = ("Queue / caller", "Position", "Waiting", "Average wait")

    def __init__(self, store, parent: QObject | None = None):
        super().__init__(parent)
        self.store = store
        self._load()
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self.tick)
        self._ticker.start()

    def queue_names(self) -> list[str]:
        return list(self._groups)

    def waiter_ids(self, name: str) -> list[str]:
        return list(self._members.get(name, []))

    def _load(self) -> None:
        self._groups = sorted(self.store.queues)
        self._group_row = {name: row for row, name in enumerate(self._groups)}
        self._members = {
            name: [e.call_control_id for e in self.store.queues[name].waiting()]
            for name in self._groups
        }

    def index_of_queue(self, name: str, column: int = 0) -> QModelIndex:
        row = self._group_row.get(name)
        return QModelIndex() if row is None else self.createIndex(row, column, 0)

    def index_of_waiter(self, name: str, ccid: str, column: int = 0) -> QModelIndex:
        waiters = self._members.get(name, [])
        if ccid not in waiters:
            return QModelIndex()
        return self.createIndex(waiters.index(ccid), column, self._key(name))

    # --- applying store changes -----------------------------------------------------------

    def apply_changes(self, changes: Changes) -> None:
        if changes.reset:
            self.beginResetModel()
            self._load()
            self.endResetModel()
            return
        queues = changes.queues
        for name in queues.removed:
            self._remove_queue(name)
        for name in sorted(queues.added | queues.changed):
            queue = self.store.queues.get(name)
            if queue is None:
                self._remove_queue(name)
            elif name not in self._group_row:
                self._insert_queue(name, queue)
            else:
                self._sync_waiters(name, queue)
        # The caller's number/name shows on the waiter row.
        for ccid in changes.calls.changed:
            call = self.store.call(ccid)
            if call is not None and call.queue_name in self._group_row:
                idx = self.index_of_waiter(call.queue_name, ccid)
                if idx.isValid():
                    self._emit(idx.siblingAtColumn(0), idx.siblingAtColumn(len(self.HEADERS) - 1))

    def _insert_queue(self, name: str, queue: Queue) -> None:
        # Queues are few: keep them alphabetical by inserting at the sorted position.
        row = sum(1 for n in self._groups if n < name)
        self.beginInsertRows(QModelIndex(), row, row)
        self._groups.insert(row, name)
        self._group_row = {n: r for r, n in enumerate(self._groups)}
        self._members[name] = [e.call_control_id for e in queue.waiting()]
        self.endInsertRows()

    def _remove_queue(self, name: str) -> None:
        row = self._group_row.get(name)
        if row is None:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._groups[row]
        self._members.pop(name, None)
        self._group_row = {n: r for r, n in enumerate(self._groups)}
        self.endRemoveRows()

    def _sync_waiters(self, name: str, queue: Queue) -> None:
        parent = self.index_of_queue(name)
        current = self._members[name]
        wanted = [e.call_control_id for e in queue.waiting()]
        keep = set(wanted)
        for row in range(len(current) - 1, -1, -1):
            if current[row] not in keep:
                self.beginRemoveRows(parent, row, row)
                del current[row]
                self.endRemoveRows()
        present = set(current)
        for row, ccid in enumerate(wanted):
            if ccid not in present:
                row = min(row, len(current))
                self.beginInsertRows(parent, row, row)
                current.insert(row, ccid)
                self.endInsertRows()
        if current != wanted:
            # Positions swapped (rare): a layout change for this queue keeps selections valid.
            self.layoutAboutToBeChanged.emit([QPersistentModelIndex(parent)])
            old = {ccid: row for row, ccid in enumerate(current)}
            current[:] = wanted
            key = self._key(name)
            for idx in self.persistentIndexList():
                if idx.internalId() == key and idx.row() < len(wanted):
                    ccid = list(old)[idx.row()]
                    self.changePersistentIndex(
                        idx, self.createIndex(wanted.index(ccid), idx.column(), key)
                    )
            self.layoutChanged.emit([QPersistentModelIndex(parent)])
        last = len(self.HEADERS) - 1
        self._emit(parent, parent.siblingAtColumn(last))
        if current:
            self._emit(self.index(0, 0, parent), self.index(len(current) - 1, last, parent))

    def _emit(self, top: QModelIndex, bottom: QModelIndex, roles=None) -> None:
        if roles is None:
            self.dataChanged.emit(top, bottom)
        else:
            self.dataChanged.emit(top, bottom, roles)

    def tick(self) -> None:
        """Once a second: the wait columns move on."""
        roles = [Qt.ItemDataRole.DisplayRole]
        for name in self._groups:
            parent = self.index_of_queue(name)
            self._emit(parent.siblingAtColumn(COL_WAIT), parent.siblingAtColumn(COL_WAIT), roles)
            n = len(self._members.get(name, []))
            if n:
                self._emit(
                    self.index(0, COL_WAIT, parent), self.index(n - 1, COL_WAIT, parent), roles
                )

    # --- Qt model interface ---------------------------------------------------------------

    def _entries(self, name: str) -> list[QueueEntry]:
        queue = self.store.queues.get(name)
        if queue is None:
            return []
        return [queue.entries[c] for c in self._members.get(name, []) if c in queue.entries]

    def _oldest(self, name: str) -> str | None:
        entries = [(at, e) for e in self._entries(name) if (at := e.enqueued_at) is not None]
        if not entries:
            waiters = self._members.get(name)
            return waiters[0] if waiters else None
        return min(entries, key=lambda pair: fmt.as_aware(pair[0]))[1].call_control_id

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == 0:
            if index.row() >= len(self._groups):
                return None
            name = self._groups[index.row()]
            if role == QUEUE_ROLE:
                return name
            if role == WAITER_ROLE:
                return None
            return self._queue_data(name, index.column(), role)
        name = self._group_of_key.get(index.internalId())
        waiters = self._members.get(name or "", [])
        if name is None or index.row() >= len(waiters):
            return None
        ccid = waiters[index.row()]
        if role == QUEUE_ROLE:
            return name
        if role == WAITER_ROLE:
            return ccid
        return self._waiter_data(name, ccid, index.column(), role)

    def _queue_data(self, name: str, col: int, role):
        queue = self.store.queues.get(name)
        if queue is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            n = len(self._members.get(name, []))
            if col == COL_NAME:
                return name
            if col == COL_POSITION:
                return f"{n} waiting"
            if col == COL_WAIT:
                oldest = self._oldest(name)
                entry = queue.entries.get(oldest) if oldest else None
                if entry is None:
                    return ""
                return "oldest " + fmt.format_duration(
                    fmt.seconds_between(entry.enqueued_at, fmt.now())
                )
            if col == COL_AVERAGE:
                if queue.average_wait_secs is None:
                    return ""
                return fmt.format_duration(queue.average_wait_secs)
        if role == Qt.ItemDataRole.FontRole and col == COL_NAME:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _waiter_data(self, name: str, ccid: str, col: int, role):
        queue = self.store.queues.get(name)
        entry = queue.entries.get(ccid) if queue else None
        if entry is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                call = self.store.call(ccid)
                if call is None:
                    return f"Call {fmt.short_id(ccid)}"
                return fmt.party(call.from_number, call.caller_name)
            if col == COL_POSITION:
                return "" if entry.position is None else str(entry.position)
            if col == COL_WAIT:
                return fmt.format_duration(fmt.seconds_between(entry.enqueued_at, fmt.now()))
            return ""
        oldest = ccid == self._oldest(name)
        if role == Qt.ItemDataRole.BackgroundRole and oldest:
            return QBrush(theme.color("oldest"))
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"Call {ccid}\nWaiting since {fmt.format_time(entry.enqueued_at)}"
            return tip + ("\nOldest waiter in this queue" if oldest else "")
        return None
